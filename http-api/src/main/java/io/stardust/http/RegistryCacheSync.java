package io.stardust.http;

import io.stardust.RegistryCaches;
import io.stardust.engine.event.EventLog;
import io.stardust.registry.events.RegistryCacheFeed;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryScope;

/**
 * Feeds the engine's read-path caches from the registry topic: each change drops the snapshots it names, and the
 * caches stop probing {@code stardust_schema_version} while the topic is followed and go back to probing when it
 * is not. Logs the switches ({@code registry_follow_started}, {@code registry_follow_resumed},
 * {@code registry_follow_fallback}), so an operator sees when reads pay the probe again and why.
 */
final class RegistryCacheSync implements RegistryCacheFeed.Cache {
    private final RegistryCaches caches;
    private final String topic;
    private final EventLog events;

    RegistryCacheSync(RegistryCaches caches, String topic, EventLog events) {
        this.caches = caches;
        this.topic = topic;
        this.events = events;
    }

    @Override
    public void following(boolean resumed) {
        caches.followChanges();
        if (resumed) {
            events.info("registry_follow_resumed", "topic", topic);
        } else {
            events.info("registry_follow_started", "topic", topic);
        }
    }

    @Override
    public void changed(RegistryChange change) {
        RegistryScope.of(change).applyTo(caches::modelChanged, caches::fieldChanged, caches::everythingChanged);
    }

    @Override
    public void notFollowing(String reason) {
        caches.probeVersion();
        events.warning("registry_follow_fallback", "topic", topic, "reason", reason);
    }
}

package io.stardust.streams.it;

import io.stardust.config.ConfigOption;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.mirror.RegistryMirrorConfig;
import io.stardust.streams.StreamsAppConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of the processes the integration tests start: one run's topic names (suffixed by the run id, so tests
 * sharing the module's broker never see each other's records), the streams app's import settings, and the
 * environment a child JVM reads them from.
 */
final class ChildSettings {
    private ChildSettings() {
    }

    /** The streams app's import settings for one run: every topic of the run, a fast drop-directory poll. */
    static Map<String, String> imports(EmbeddedKafka kafka, Path drop, Path stateDir, String run) {
        Map<String, String> s = new HashMap<>();
        s.put(StreamsAppConfig.KAFKA_BOOTSTRAP.key(), kafka.bootstrapServers());
        s.put(StreamsAppConfig.DROP_DIR.key(), drop.toString());
        s.put(StreamsAppConfig.MIN_FILE_AGE.key(), "100ms");
        s.put(StreamsAppConfig.POLL_INTERVAL.key(), "100ms");
        s.put(StreamsAppConfig.IMPORTS_TOPIC.key(), "imports-" + run);
        s.put(StreamsAppConfig.PROGRESS_TOPIC.key(), "imports-progress-" + run);
        s.put(StreamsAppConfig.REJECTED_TOPIC.key(), "imports-rejected-" + run);
        s.put(StreamsAppConfig.STATUS_TOPIC.key(), "imports-status-" + run);
        s.put(StreamsAppConfig.ENTRIES_TOPIC.key(), "entries-" + run);
        s.put(StreamsAppConfig.ENTRY_EVENTS_TOPIC.key(), "entries-events-" + run);
        s.put(StreamsAppConfig.REGISTRY_TOPIC.key(), "registry-" + run);
        s.put(StreamsAppConfig.APPLICATION_ID.key(), "streams-" + run);
        s.put(StreamsAppConfig.STATE_DIR.key(), stateDir.toString());
        return s;
    }

    /** The environment variables ({@code STARDUST_...}) of the settings that {@code options} declare. */
    static Map<String, String> env(Collection<ConfigOption<?>> options, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        options.forEach(o -> {
            String v = settings.get(o.key());
            if (v != null) {
                env.put(o.envName(), v);
            }
        });
        return env;
    }

    /** A registry mirror publishing this run's registry topic, with a server id of its own. */
    static RegistryMirrorConfig mirror(TestDatabase db, EmbeddedKafka kafka, String run) {
        Properties p = new Properties();
        p.put("dsn", db.jdbcUrl());
        p.put("user", db.user());
        p.put("pass", db.password());
        p.put("kafkaBootstrap", kafka.bootstrapServers());
        p.put("registryMirrorTopic", "registry-" + run);
        p.put("registryMirrorName", "mirror-" + run);
        p.put("registryMirrorServerId", Integer.toString(10_000 + Math.floorMod(run.hashCode(), 50_000)));
        p.put("registryMirrorOffsetsTopic", "mirror-offsets-" + run);
        p.put("registryMirrorHistoryTopic", "mirror-history-" + run);
        p.put("registryMirrorOffsetFlushInterval", "200ms");
        p.put("registryMirrorHeartbeatInterval", "1s");
        p.put("registryMirrorMetricsPort", "-1");
        return RegistryMirrorConfig.from(RegistryMirrorConfig.definition().resolve(p, Map.of()));
    }
}

package io.stardust.registry.mirror;

import java.util.List;

/** The closed vocabulary of log events of source {@code registry_mirror} (README "Logs"). */
final class MirrorEvents {
    static final List<String> NAMES = List.of("mirror_started", "mirror_stopped", "mirror_refused", "mirror_failed",
            "mirror_stop_incomplete", "topic_created", "changes_published", "publish_failed");

    private MirrorEvents() {
    }
}

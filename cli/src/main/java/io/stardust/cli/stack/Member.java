package io.stardust.cli.stack;

import java.util.List;
import java.util.Map;

/**
 * One process of a stack: its name (unique, e.g. {@code gateway-2}), the {@code bin/stardust} command and arguments
 * it runs, its own {@code STARDUST_*} settings on top of the stack's, and the URL of its {@code /metrics} (null when
 * it has none).
 */
record Member(String name, List<String> command, Map<String, String> env, String metricsUrl) {
    Member {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}

package io.stardust.cli.demo;

import io.stardust.cli.Main;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code bin/stardust} command in a child JVM (same Java, classpath and {@code -D}/{@code -X} flags) with
 * {@code STARDUST_DSN}, {@code STARDUST_USER} and {@code STARDUST_PASS} set to one database, its stdio inherited.
 * A child, not an in-process call, because commands read the connection from the environment (which wins over
 * {@code --config}) and a process cannot change its own: an operator's exported {@code STARDUST_DSN} must never
 * send a demo command to a real database.
 */
final class ChildCommand {
    private final String dsn;
    private final String user;
    private final String password;

    ChildCommand(String dsn, String user, String password) {
        this.dsn = dsn;
        this.user = user;
        this.password = password;
    }

    /** Runs {@code args} (a command and its arguments) to the end; returns its exit code. */
    int run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("-D") || flag.startsWith("-X")) {
                cmd.add(flag);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("STARDUST_DSN", dsn);
        env.put("STARDUST_USER", user);
        env.put("STARDUST_PASS", password);
        return pb.start().waitFor();
    }
}

package io.stardust.gateway;

import io.stardust.gateway.GatewayApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The gateway as a child JVM ({@code GatewayApp}, configured only by environment variables), to be killed for real. */
final class GatewayProcess implements AutoCloseable {
    private final Process process;

    private GatewayProcess(Process process) {
        this.process = process;
    }

    static GatewayProcess start(Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                GatewayApp.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        try {
            return new GatewayProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no drain, nothing flushed. */
    void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM; returns the exit code. */
    int terminate() {
        process.destroy();
        if (!waitFor(90)) {
            process.destroyForcibly();
            waitFor(10);
            return -1;
        }
        return process.exitValue();
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}

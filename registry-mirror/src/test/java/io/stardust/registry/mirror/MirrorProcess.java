package io.stardust.registry.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The mirror as a child JVM ({@link RegistryMirrorApp}, configured only by environment variables), to be killed for real. */
final class MirrorProcess implements AutoCloseable {
    private final Process process;

    private MirrorProcess(Process process) {
        this.process = process;
    }

    static MirrorProcess start(Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RegistryMirrorApp.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        try {
            return new MirrorProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no drain, no offset flush. */
    void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM; returns the exit code. */
    int terminate() {
        process.destroy();
        return exitCode(90);
    }

    /** Waits for the process to end by itself; returns its exit code, -1 if it had to be killed. */
    int exitCode(int seconds) {
        if (!waitFor(seconds)) {
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

package io.stardust.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process's {@code main} in a child JVM on the test's own classpath, configured only by the given
 * {@code STARDUST_*} environment (inherited ones are dropped), output appended to a log file: what the crash tests
 * SIGKILL for real and SIGTERM to see the drain's exit code. Small heap and quick start-up flags, since a test
 * starts many.
 */
public final class KillableProcess implements AutoCloseable {
    private final Process process;

    private KillableProcess(Process process) {
        this.process = process;
    }

    public static KillableProcess start(Class<?> mainClass, Map<String, String> env, Path log) {
        return start(mainClass, env, log, 256);
    }

    /** As {@link #start(Class, Map, Path)} with this {@code -Xmx} (MiB): memory-bound tests give a small heap. */
    public static KillableProcess start(Class<?> mainClass, Map<String, String> env, Path log, int maxHeapMb) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx" + maxHeapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), mainClass.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().putAll(env);
        try {
            return new KillableProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no drain, nothing flushed. */
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM; returns the exit code, -1 if it had to be killed after 90 s. */
    public int terminate() {
        process.destroy();
        return exitCode(90);
    }

    /** Waits for the process to end by itself; returns its exit code, -1 if it had to be killed. */
    public int exitCode(int seconds) {
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

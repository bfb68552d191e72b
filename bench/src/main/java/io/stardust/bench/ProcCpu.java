package io.stardust.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** CPU time (user + system) a process has used so far, from {@code /proc/<pid>/stat}. */
public final class ProcCpu {
    private final long ticksPerSecond;

    private ProcCpu(long ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Asks {@code getconf CLK_TCK} once for the kernel's clock-tick rate. */
    public static ProcCpu open() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return new ProcCpu(Long.parseLong(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run getconf CLK_TCK", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("getconf CLK_TCK did not print a number", e);
        }
    }

    /** CPU seconds of {@code pid} (all its threads) since it started. */
    public double seconds(long pid) {
        String stat = Machine.read("/proc/" + pid + "/stat");
        // the command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / (double) ticksPerSecond;
    }
}

package io.stardust.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about this Linux machine that a benchmark result is meaningless without: cores, CPU, memory, load. */
public final class Machine {
    private Machine() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}, or "unknown". */
    public static String cpuModel() {
        return read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    public static long memTotalMib() {
        return read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10).orElse(0L);
    }

    /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} has them ({@code "1.52 1.10 0.87"}). */
    public static String loadAverage() {
        List<String> f = List.of(read("/proc/loadavg").trim().split("\\s+"));
        return String.join(" ", f.subList(0, 3));
    }

    /** One line: cores, CPU model, memory, Java. */
    public static String describe() {
        return cores() + " cores (" + cpuModel() + "), " + memTotalMib() + " MiB RAM, Java " + Runtime.version();
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (the benchmarks need Linux /proc)", e);
        }
    }
}

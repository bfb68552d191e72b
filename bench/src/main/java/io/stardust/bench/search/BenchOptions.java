package io.stardust.bench.search;

import io.stardust.bench.Args;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Command-line options of {@link SearchBench}: {@code --key=value}, all optional. */
record BenchOptions(long entries, int iterations, int jsonIterations, int loaders, long bufferPoolBytes, long seed,
                    Path workDir) {

    static BenchOptions parse(String[] args) {
        Map<String, String> o = Args.parse(args,
                Set.of("entries", "iterations", "json-iterations", "loaders", "buffer-pool-mb", "seed", "work-dir"));
        long entries = Args.positive(o, "entries", 1_000_000);
        if (entries < 1000) {
            throw new IllegalArgumentException("need --entries >= 1000, got " + entries);
        }
        return new BenchOptions(entries, (int) Args.positive(o, "iterations", 300),
                (int) Args.positive(o, "json-iterations", 60), (int) Args.positive(o, "loaders", 2),
                Args.positive(o, "buffer-pool-mb", 3072) << 20, Long.parseLong(o.getOrDefault("seed", "42")),
                Path.of(o.getOrDefault("work-dir", System.getProperty("java.io.tmpdir") + "/stardust-bench")));
    }
}

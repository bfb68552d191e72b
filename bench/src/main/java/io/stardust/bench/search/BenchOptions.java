package io.stardust.bench.search;

import java.nio.file.Path;

/** Command-line options of {@link SearchBench}: {@code --key=value}, all optional. */
record BenchOptions(long entries, int iterations, int jsonIterations, int loaders, long bufferPoolBytes, long seed,
                    Path workDir) {

    static BenchOptions parse(String[] args) {
        long entries = 1_000_000;
        int iterations = 300;
        int jsonIterations = 60;
        int loaders = 2;
        long bufferPoolMb = 3072;
        long seed = 42;
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "stardust-bench");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !kv[0].startsWith("--")) {
                throw new IllegalArgumentException("expected --key=value, got " + a);
            }
            String v = kv[1];
            switch (kv[0]) {
                case "--entries" -> entries = Long.parseLong(v.replace("_", ""));
                case "--iterations" -> iterations = Integer.parseInt(v);
                case "--json-iterations" -> jsonIterations = Integer.parseInt(v);
                case "--loaders" -> loaders = Integer.parseInt(v);
                case "--buffer-pool-mb" -> bufferPoolMb = Long.parseLong(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--work-dir" -> workDir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        if (entries < 1000 || iterations < 1 || jsonIterations < 1 || loaders < 1) {
            throw new IllegalArgumentException("need entries >= 1000 and positive iterations and loaders");
        }
        return new BenchOptions(entries, iterations, jsonIterations, loaders, bufferPoolMb << 20, seed, workDir);
    }
}

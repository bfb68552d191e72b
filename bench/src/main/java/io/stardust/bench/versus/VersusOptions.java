package io.stardust.bench.versus;

import io.stardust.bench.Args;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of {@link VersusBench}, all {@code --key=value} and optional. Paths are relative to the
 * directory {@code bench/run.sh} runs in, the repository root.
 *
 * @param records     rows every contender drains (and topics are filled with)
 * @param latencyRate records per second of the gateway latency phase
 * @param workDir     where the embedded servers keep their data while running
 * @param plugins     the Connect {@code plugin.path} holding the Debezium JDBC sink (the bench build unpacks it there)
 * @param out         where the result table is written, besides stdout
 */
record VersusOptions(int records, int latencyRate, Path workDir, Path plugins, Path out) {

    static VersusOptions parse(String[] args) {
        Map<String, String> o = Args.parse(args, Set.of("records", "latency-rate", "work-dir", "plugins", "out"));
        long records = Args.positive(o, "records", 200_000);
        if (records < 1000 || records > 50_000_000) {
            throw new IllegalArgumentException("--records must be between 1000 and 50000000, got " + records);
        }
        return new VersusOptions((int) records, (int) Args.positive(o, "latency-rate", 1000),
                Path.of(o.getOrDefault("work-dir", "bench/target/versus-servers")),
                Path.of(o.getOrDefault("plugins", "bench/target/connect-plugins")),
                Path.of(o.getOrDefault("out", "bench/target/versus.md")));
    }
}

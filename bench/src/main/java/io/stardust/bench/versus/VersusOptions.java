package io.stardust.bench.versus;

import io.stardust.bench.Args;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * @param only        the contenders to run (labels of {@link #CONTENDERS}); all of them when {@code --only} is absent
 * @param gatewaySet  extra settings of every gateway contender ({@code --gateway-set=k=v,k=v}), for experiments
 */
record VersusOptions(int records, int latencyRate, Path workDir, Path plugins, Path out, Set<String> only,
                     Map<String, String> gatewaySet) {
    /** Every contender's label, in the order they run; {@code latency} is the produce → durable probe. */
    static final List<String> CONTENDERS = List.of("peer1", "gw1", "sink1", "peer2", "gw2", "sink2", "gw1ai", "raw", "latency");

    static VersusOptions parse(String[] args) {
        Map<String, String> o = Args.parse(args, Set.of("records", "latency-rate", "work-dir", "plugins", "out", "only",
                "gateway-set"));
        long records = Args.positive(o, "records", 200_000);
        if (records < 1000 || records > 50_000_000) {
            throw new IllegalArgumentException("--records must be between 1000 and 50000000, got " + records);
        }
        return new VersusOptions((int) records, (int) Args.positive(o, "latency-rate", 1000),
                Path.of(o.getOrDefault("work-dir", "bench/target/versus-servers")),
                Path.of(o.getOrDefault("plugins", "bench/target/connect-plugins")),
                Path.of(o.getOrDefault("out", "bench/target/versus.md")), only(o.get("only")), settings(o.get("gateway-set")));
    }

    boolean runs(String contender) {
        return only.contains(contender);
    }

    private static Set<String> only(String list) {
        if (list == null) {
            return new LinkedHashSet<>(CONTENDERS);
        }
        Set<String> chosen = new LinkedHashSet<>(Arrays.asList(list.split(",")));
        for (String c : chosen) {
            if (!CONTENDERS.contains(c)) {
                throw new IllegalArgumentException("--only: unknown contender " + c + " (known: " + CONTENDERS + ")");
            }
        }
        return chosen;
    }

    private static Map<String, String> settings(String list) {
        Map<String, String> set = new LinkedHashMap<>();
        if (list != null) {
            for (String kv : list.split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || p[0].isBlank()) {
                    throw new IllegalArgumentException("--gateway-set: expected key=value, got " + kv);
                }
                set.put(p[0], p[1]);
            }
        }
        return set;
    }
}

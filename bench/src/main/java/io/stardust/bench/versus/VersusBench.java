package io.stardust.bench.versus;

import io.stardust.FieldSpec;
import io.stardust.bench.BenchProducer;
import io.stardust.bench.GatewayLatencyProbe;
import io.stardust.bench.Machine;
import io.stardust.bench.MySqlDurability;
import io.stardust.bench.ProcCpu;
import io.stardust.bench.RawInsertBaseline;
import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.kit.ConnectOptions;
import io.stardust.kit.EmbeddedConnect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench/run.sh versus}: the same rows drained from a pre-filled topic into one durable mysqld by StarDust's
 * ingest gateway (1 and 2 partitions), by Debezium's JDBC sink connector in a real Kafka Connect worker (1 and 2
 * tasks), and by a raw multi-row INSERT; one after another, each into a database of its own; then the gateway's
 * produce → durable latency at a steady rate. Prints one markdown table and writes it to {@code --out}.
 */
public final class VersusBench {
    static final String MYSQLD = "mysqld";
    static final String BROKER = "Kafka broker";
    static final String BENCH_JVM = "bench JVM";
    static final String CONNECT_WORKER = "Connect worker";

    private static final String GATEWAY_TOPIC_1 = "stardust.entries";
    private static final String GATEWAY_TOPIC_2 = "stardust.entries.p2";
    private static final String PEER_TOPIC_1 = "peer.bench.p1";
    private static final String PEER_TOPIC_2 = "peer.bench.p2";
    private static final String LATENCY_TOPIC = "stardust.latency";
    private static final Duration QUIET_MAX = Duration.ofMinutes(2);
    private static final int CONNECT_HEAP_MB = 1024;

    private VersusBench() {
    }

    public static void main(String[] args) throws Exception {
        VersusOptions o = VersusOptions.parse(args);
        String loadAtStart = Machine.loadAverage();
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16) + " UTC";
        int n = o.records();
        List<Outcome> outcomes;
        GatewayLatencyProbe.Result latency;
        List<String> facts = new ArrayList<>();
        try (EmbeddedStack s = new EmbeddedStack(o.workDir(), "versus_latency", 1, false, true)) {
            String durability = MySqlDurability.describe(s.mysql());
            System.err.println("mysqld: " + durability);
            if (!MySqlDurability.isDurable(s.mysql())) {
                throw new IllegalStateException("mysqld is not running with durable settings: " + durability);
            }
            try (KafkaProducer<String, String> producer = BenchProducer.open(s.kafka().bootstrapServers())) {
                fillTopics(s, producer, n);
                outcomes = drainAll(s, o);
                latency = o.runs("latency") ? latency(s, producer, o) : null;
            }
            facts.add("date: " + date + "; " + String.format("%,d", n) + " rows per contender: tenant 1, model `bench`, key `id`,"
                    + " fields `name` (string), `qty` (int), `created` (datetime), all three filterable/indexed");
            facts.add("machine: " + Machine.describe() + "; load average (1/5/15 min) " + loadAtStart + " at start, "
                    + Machine.loadAverage() + " at end (the machine is shared: see the load column)");
            facts.add("mysqld (one for all contenders, a database each): " + durability);
            facts.add("Kafka 4.3.1 (one KRaft broker), Kafka Connect 4.3.1 standalone worker (child JVM, -Xmx" + CONNECT_HEAP_MB
                    + "m), gateway instances in the bench JVM (max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
        }
        String md = VersusReport.render(facts, outcomes, latency);
        System.out.println();
        System.out.println(md);
        write(o, md);
    }

    /** Every topic filled completely before any contender starts; row {@code id} goes to partition {@code id % P}. */
    private static void fillTopics(EmbeddedStack s, KafkaProducer<String, String> producer, int n) {
        s.kafka().createTopic(GATEWAY_TOPIC_2, 2);
        s.kafka().createTopic(PEER_TOPIC_1, 1);
        s.kafka().createTopic(PEER_TOPIC_2, 2);
        fill(producer, GATEWAY_TOPIC_1, 1, n, r -> Long.toString(BenchRow.TENANT), BenchRow::envelope);
        fill(producer, GATEWAY_TOPIC_2, 2, n, r -> Long.toString(BenchRow.TENANT), BenchRow::envelope);
        fill(producer, PEER_TOPIC_1, 1, n, BenchRow::connectKey, BenchRow::connectValue);
        fill(producer, PEER_TOPIC_2, 2, n, BenchRow::connectKey, BenchRow::connectValue);
    }

    /** The eight drains, one after another, each into its own database; the Connect worker runs only meanwhile. */
    private static List<Outcome> drainAll(EmbeddedStack s, VersusOptions o) throws Exception {
        int n = o.records();
        System.err.println("starting the Kafka Connect worker (plugin.path " + o.plugins().toAbsolutePath() + ") ...");
        try (EmbeddedConnect connect = EmbeddedConnect.start(ConnectOptions.forTests(o.workDir(), s.kafka().bootstrapServers())
                .withPluginPath(List.of(o.plugins())).withMaxHeapMb(CONNECT_HEAP_MB).withJvmFlags(List.of("-XX:+UseG1GC"))
                // every plugin here has ServiceLoader manifests; scanning the classpath by reflection takes minutes on a busy machine
                .withWorkerProperty("plugin.discovery", "service_load").withStartTimeout(Duration.ofMinutes(5)));
             DrainMeter meter = new DrainMeter(s.mysql(), ProcCpu.open())) {
            if (!connect.connectorPlugins().containsAll(List.of(PeerContender.CONNECTOR_CLASS, StarDustSinkContender.CONNECTOR_CLASS))) {
                throw new IllegalStateException(PeerContender.CONNECTOR_CLASS + " or " + StarDustSinkContender.CONNECTOR_CLASS
                        + " is not in " + o.plugins()
                        + "; build the bench module (mvn -pl bench -am package) to unpack it there");
            }
            meter.track(MYSQLD, s.mysql().pid());
            meter.track(BROKER, s.kafka().pid());
            meter.track(BENCH_JVM, ProcessHandle.current().pid());
            meter.track(CONNECT_WORKER, connect.pid());
            PeerContender peer = new PeerContender(s.mysql(), connect, meter);
            GatewayContender gateway = new GatewayContender(s, meter, o.gatewaySet());
            StarDustSinkContender sink = new StarDustSinkContender(s.mysql(), connect, meter);
            // Pairs run back to back, so a change of machine load between pairs hits both sides of a ratio alike.
            List<Outcome> outcomes = new ArrayList<>();
            run(o, "peer1", outcomes, meter, () -> peer.drain("versus_peer1", PEER_TOPIC_1, 1, n));
            run(o, "gw1", outcomes, meter, () -> gateway.drain("versus_gw1", GATEWAY_TOPIC_1, 1, n, false));
            run(o, "sink1", outcomes, meter, () -> sink.drain("versus_sink1", GATEWAY_TOPIC_1, 1, n));
            run(o, "peer2", outcomes, meter, () -> peer.drain("versus_peer2", PEER_TOPIC_2, 2, n));
            run(o, "gw2", outcomes, meter, () -> gateway.drain("versus_gw2", GATEWAY_TOPIC_2, 2, n, false));
            run(o, "sink2", outcomes, meter, () -> sink.drain("versus_sink2", GATEWAY_TOPIC_2, 2, n));
            // Last of the gateway rows: the cost of after-images, against the 1-task peer of this run.
            run(o, "gw1ai", outcomes, meter, () -> gateway.drain("versus_gw1ai", GATEWAY_TOPIC_1, 1, n, true));
            run(o, "raw", outcomes, meter, () -> raw(s, meter, n));
            return outcomes;
        }
    }

    /** The gateway's produce → durable latency on a fresh 1-partition topic (in the stack's own database). */
    private static GatewayLatencyProbe.Result latency(EmbeddedStack s, KafkaProducer<String, String> producer, VersusOptions o) {
        int n = o.records();
        s.model(BenchRow.TENANT, BenchRow.MODEL, BenchRow.FIELDS.toArray(FieldSpec[]::new));
        s.kafka().createTopic(LATENCY_TOPIC, 1);
        int m = Math.min(o.latencyRate() * 20, Math.max(1000, n / 10));
        System.err.printf("gateway latency: %,d records at %,d/s ...%n", m, o.latencyRate());
        Map<String, String> settings = new java.util.HashMap<>(o.gatewaySet());
        settings.putAll(Map.of("gatewayTopic", LATENCY_TOPIC, "gatewayGroupId", "latency", "gatewayInstanceId", "latency-1"));
        return GatewayLatencyProbe.run(s.gatewayConfig(settings), producer, o.latencyRate(), m, i -> new ProducerRecord<>(LATENCY_TOPIC,
                Long.toString(BenchRow.TENANT), BenchRow.of((long) n + i).envelope()));
    }

    private interface Run {
        Outcome run() throws Exception;
    }

    private static void run(VersusOptions o, String contender, List<Outcome> outcomes, DrainMeter meter, Run run) throws Exception {
        if (o.runs(contender)) {
            outcomes.add(report(meter, run));
        }
    }

    private static Outcome report(DrainMeter meter, Run run) throws Exception {
        Duration quiet = meter.awaitQuiet(QUIET_MAX);
        Outcome out = run.run();
        System.err.printf("%s, %s: %,d rows in %.1f s = %s rows/s (dirty pages flushed for %.1f s before)%n",
                out.contender(), out.parallelism(), out.records(), out.window().seconds(),
                VersusReport.rate(out.window().rowsPerSecond()), quiet.toMillis() / 1e3);
        return out;
    }

    private static Outcome raw(EmbeddedStack s, DrainMeter meter, int n) throws Exception {
        RawInsertBaseline raw = RawInsertBaseline.prepare(s.mysql(), "versus_raw", BenchRow.SLOT_COLUMNS);
        String load = Machine.loadAverage();
        DrainMeter.Sample before = meter.sample(0);
        raw.insert(n, i -> BenchRow.of(i).rawRow());
        DrainMeter.Sample after = meter.sample(n);
        return new Outcome("raw multi-row INSERT into entry_data + slot page (2000 rows/tx)", "1 connection", 1, n,
                new DrainMeter.Window(before, after), BENCH_JVM, load);
    }

    /** Produces rows {@code 0..n-1} to {@code topic}, row {@code id} to partition {@code id % partitions}. */
    private static void fill(KafkaProducer<String, String> producer, String topic, int partitions, int n,
                             Function<BenchRow, String> key, Function<BenchRow, String> value) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            BenchRow r = BenchRow.of(i);
            producer.send(new ProducerRecord<>(topic, i % partitions, key.apply(r), value.apply(r)));
        }
        producer.flush();
        System.err.printf("filled %s (%d partition(s)) with %,d records in %.1f s%n", topic, partitions, n,
                (System.nanoTime() - t0) / 1e9);
    }

    private static void write(VersusOptions o, String md) throws IOException {
        if (o.out().getParent() != null) {
            Files.createDirectories(o.out().getParent());
        }
        Files.writeString(o.out(), md, StandardCharsets.UTF_8);
        System.err.println("written to " + o.out().toAbsolutePath());
    }
}

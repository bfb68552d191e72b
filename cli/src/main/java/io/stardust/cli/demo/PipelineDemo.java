package io.stardust.cli.demo;

import io.stardust.Entry;
import io.stardust.ModelDefinition;
import io.stardust.cli.CanonicalNumberConverter;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Sql;
import io.stardust.cli.progress.Progress;
import io.stardust.gateway.Gateway;
import io.stardust.kit.EmbeddedMySql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/stardust demo}, the main job on embedded defaults: starts MySQL and Kafka, the gateway, produces sample entry records to
 * {@code stardust.entries} (creates, updates by key, a tombstone and one poison record), waits until they are
 * durable, then prints a few entries read back through the engine and a few events from
 * {@code stardust.entries.events}.
 *
 * <p>MySQL's data directory is kept under {@code --dir} after the demo, so what it wrote (the quarantined poison
 * record above all) can be looked at again: {@code demo --resume COMMAND...} starts MySQL on the kept data, runs
 * that {@code bin/stardust} command against it in a child process whose {@code STARDUST_DSN}, {@code STARDUST_USER}
 * and {@code STARDUST_PASS} point at it, stops MySQL and exits with the command's exit code.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start embedded MySQL 8 and Kafka, run the ingest gateway, produce sample entries, read them back.",
                "MySQL's data stays under --dir; 'demo --resume COMMAND [ARGS...]' runs a bin/stardust command against it,",
                "e.g. 'demo --resume ingest:dlq:list'. A new demo run replaces the kept database."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the demo ran", "1:a failure", "2:bad input", "*:with --resume: the exit code of COMMAND"})
public final class PipelineDemo implements Callable<Integer> {
    static final String DATABASE = "demo";
    private static final Path DEFAULT_DIR = Path.of("demo-data");

    @Option(names = "--dir", description = "Working directory for the embedded servers (default: ${DEFAULT-VALUE}).")
    Path dir = DEFAULT_DIR;

    @Option(names = "--entries", paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "How many sample records to produce, at least 5 (default: ${DEFAULT-VALUE}).")
    long n = 1000;

    @Option(names = "--resume", description = "Run COMMAND against the MySQL data a previous demo kept under --dir.")
    boolean resume;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "With --resume: a bin/stardust command and its arguments.")
    List<String> command = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (resume) {
            return resume();
        }
        if (!command.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "COMMAND is only taken with --resume; got " + command);
        }
        if (n < 5 || n > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--entries must be between 5 and 10000000, got " + n);
        }
        int n = (int) this.n;
        long shownEntry;
        try (EmbeddedStack s = new EmbeddedStack(dir, DATABASE, 3, true, false)) {
            ModelDefinition company = s.model(1, "company", EmbeddedStack.companyFields());
            s.model(2, "company", EmbeddedStack.companyFields());
            System.out.println("MySQL  " + s.mysql().jdbcUrl(s.database()));
            System.out.println("Kafka  " + s.kafka().bootstrapServers());
            try (Gateway g = Gateway.start(s.gatewayConfig(Map.of()), null, HoldPoints.NONE);
                 KafkaProducer<String, String> producer = producer(s.kafka().bootstrapServers())) {
                System.out.println("gateway running; metrics at http://127.0.0.1:" + g.metricsPort() + "/metrics");
                for (int i = 0; i < n; i++) {
                    long tenant = 1 + i % 2;
                    producer.send(new ProducerRecord<>("stardust.entries", Long.toString(tenant), "{\"tenantId\":" + tenant
                            + ",\"model\":\"company\",\"key\":\"company-" + (i % (n * 4 / 5)) + "\",\"fields\":{\"name\":\"Company "
                            + i + "\",\"employees\":" + (10 + i) + ",\"revenue\":" + (i * 1000.5) + ",\"founded\":\"2001-02-03T04:05:06Z\"}}"));
                }
                producer.send(new ProducerRecord<>("stardust.entries", "1/company/company-2", null));
                producer.send(new ProducerRecord<>("stardust.entries", "1", "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"employees\":\"many\"}}"));
                producer.flush();
                System.out.printf("produced %d records (%d creates, %d updates by key, 1 tombstone, 1 poison record)%n",
                        n + 2, n * 4 / 5, n - n * 4 / 5);
                long t0 = System.nanoTime();
                try (Progress progress = Progress.onStderr("demo (durable)", "records", n + 2)) {
                    for (long done; (done = durablePositions(s)) < n + 2; ) {
                        progress.set(done);
                        LockSupport.parkNanos(20_000_000);
                    }
                    progress.set(n + 2);
                }
                System.out.printf("all durable after %d ms%n%n", (System.nanoTime() - t0) / 1_000_000);

                System.out.println("read back through the engine (tenant 1, model company):");
                List<Entry> rows = s.engine().read(io.stardust.EntryQuery.all(1, company.modelId())).rows();
                shownEntry = rows.get(0).id();
                for (Entry e : rows.subList(0, Math.min(3, rows.size()))) {
                    System.out.println("  entry " + e.id() + "  " + s.engine().get(1, e.id()).orElseThrow().fields());
                }
                System.out.println("  ... " + count(s, "SELECT COUNT(*) FROM entry_data WHERE deleted_at IS NULL") + " live entries, "
                        + count(s, "SELECT COUNT(*) FROM entry_data WHERE deleted_at IS NOT NULL") + " deleted, "
                        + count(s, "SELECT COUNT(*) FROM stardust_ingest_dlq") + " quarantined (ingest:dlq:list, see below)");
                System.out.println();
                // A filter on user-defined fields: compiled to an indexed range scan on the slot page.
                io.stardust.filter.FilterNode filter = io.stardust.filter.Filters.and(
                        io.stardust.filter.LeafNode.local("employees", "gte", 700),
                        io.stardust.filter.LeafNode.local("name", "prefix", "Company 7"));
                io.stardust.EntryPage found = s.engine().read(io.stardust.EntryQuery.all(1, company.modelId())
                        .withFilter(filter).withSelect(List.of("name", "employees")).withPageSize(5));
                System.out.println("search (tenant 1): employees >= 700 AND name starts with 'Company 7':");
                for (Entry e : found.rows()) {
                    System.out.println("  entry " + e.id() + "  " + e.fields());
                }
                System.out.println();
                System.out.println("events from stardust.entries.events:");
                for (ConsumerRecord<String, String> r : events(s.kafka().bootstrapServers(), 5)) {
                    System.out.println("  " + r.key() + "  " + r.value());
                }
            }
        }
        String again = DEFAULT_DIR.equals(dir) ? "bin/stardust demo --resume" : "bin/stardust demo --dir=" + dir.toAbsolutePath() + " --resume";
        System.out.println();
        System.out.println("MySQL's data is kept in " + EmbeddedStack.keptMySqlDir(dir) + " (database " + DATABASE
                + "; Kafka's topics are not kept). To look at it again, each of these starts MySQL on it, runs the command and stops it:");
        System.out.println("  " + again + " ingest:dlq:list                     # the quarantined poison record");
        System.out.println("  " + again + " model:describe --tenant=1 --name=company");
        System.out.println("  " + again + " entry:get --tenant=1 --id=" + shownEntry);
        System.out.println("Delete it with: rm -rf " + dir.toAbsolutePath());
        return 0;
    }

    /** {@code --resume COMMAND...}: MySQL on the kept data, the command in a child JVM pointed at it. */
    private int resume() throws Exception {
        if (command.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--resume needs the command to run against the kept demo data,"
                    + " e.g. 'demo --resume ingest:dlq:list'");
        }
        if (command.get(0).equals("demo")) {
            throw new ParameterException(spec.commandLine(), "--resume runs another command, not the demo itself");
        }
        Path data = EmbeddedStack.keptMySqlDir(dir).resolve("data");
        if (!Files.isDirectory(data)) {
            throw new ParameterException(spec.commandLine(), "no demo data kept in " + data.getParent()
                    + "; run 'bin/stardust demo" + (DEFAULT_DIR.equals(dir) ? "" : " --dir=" + dir) + "' first");
        }
        try (EmbeddedMySql mysql = EmbeddedStack.resumeMySql(dir)) {
            return new ChildCommand(mysql.jdbcUrl(DATABASE), mysql.user(), mysql.password()).run(command);
        }
    }

    private static long durablePositions(EmbeddedStack s) throws Exception {
        return count(s, "SELECT COALESCE(SUM(next_offset), 0) FROM stardust_ingest_offsets");
    }

    private static long count(EmbeddedStack s, String sql) throws Exception {
        try (Connection c = s.engine().dataSource().getConnection()) {
            return Sql.queryLong(c, sql, 0);
        }
    }

    private static List<ConsumerRecord<String, String>> events(String bootstrap, int max) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of("stardust.entries.events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < max && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (out.size() < max) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // the tombstone (key 1/company/company-2) must follow tenant 1's records (key 1) on their partition
        p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, io.stardust.gateway.TenantPartitioner.class.getName());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}

package io.stardust.cli.demo;

import io.stardust.Entry;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.Sql;
import io.stardust.gateway.Gateway;
import io.stardust.gateway.HoldPoints;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/stardust demo}, the main job on embedded defaults: starts MySQL and Kafka, the gateway, produces sample entry records to
 * {@code stardust.entries} (creates, updates by key, a tombstone and one poison record), waits until they are
 * durable, then prints a few entries read back through the engine and a few events from
 * {@code stardust.entries.events}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start embedded MySQL 8 and Kafka, run the ingest gateway, produce sample entries, read them back.")
public final class PipelineDemo implements Callable<Integer> {
    @Option(names = "--dir", description = "Working directory for the embedded servers (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("demo-data");

    @Option(names = "--entries", description = "How many sample records to produce (default: ${DEFAULT-VALUE}).")
    int n = 1000;

    @Override
    public Integer call() throws Exception {
        try (EmbeddedStack s = new EmbeddedStack(dir, "demo", 3)) {
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
                while (durablePositions(s) < n + 2) {
                    LockSupport.parkNanos(20_000_000);
                }
                System.out.printf("all durable after %d ms%n%n", (System.nanoTime() - t0) / 1_000_000);

                System.out.println("read back through the engine (tenant 1, model company):");
                List<Entry> rows = s.engine().read(io.stardust.EntryQuery.all(1, company.modelId())).rows();
                for (Entry e : rows.subList(0, Math.min(3, rows.size()))) {
                    System.out.println("  entry " + e.id() + "  " + s.engine().get(1, e.id()).orElseThrow().fields());
                }
                System.out.println("  ... " + count(s, "SELECT COUNT(*) FROM entry_data WHERE deleted_at IS NULL") + " live entries, "
                        + count(s, "SELECT COUNT(*) FROM entry_data WHERE deleted_at IS NOT NULL") + " deleted, "
                        + count(s, "SELECT COUNT(*) FROM stardust_ingest_dlq") + " quarantined (see ingest:dlq:list)");
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
        return 0;
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

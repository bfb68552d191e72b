package io.stardust.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import io.stardust.registry.events.SourcePosition;
import io.stardust.streams.StreamsApp;
import io.stardust.streams.StreamsAppConfig;
import io.stardust.streams.wire.ImportCounts;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded whatever the file size: the streams app (a child JVM with a small heap) reads a generated
 * NDJSON file several times larger than its heap, and every line is routed while the process stays up without an
 * {@code OutOfMemoryError}. CI size: 256 MiB at {@code -Xmx64m}; the 1 GB at {@code -Xmx256m} is
 * {@code -Dstardust.import.memoryFileMb=1024 -Dstardust.import.memoryHeapMb=256} (bench/run.sh import --memory).
 */
@ExtendWith(KafkaExtension.class)
class ImportMemoryTest {
    private static final int FILE_MB = Integer.getInteger("stardust.import.memoryFileMb", 256);
    private static final int HEAP_MB = Integer.getInteger("stardust.import.memoryHeapMb", 64);
    private static final int LINE_BYTES = 1024;

    @TempDir
    Path dir;

    @Test
    void aFileSeveralTimesLargerThanTheHeapIsRoutedCompletelyWithoutRunningOutOfMemory(EmbeddedKafka kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic("registry-" + run, 1, Map.of("cleanup.policy", "compact"));
        publishModel(kafka, "registry-" + run);
        Path drop = Files.createDirectories(dir.resolve("drop"));
        long lines = writeFile(drop.resolve("big.ndjson.partial"), (long) FILE_MB << 20);
        assertThat(Files.size(drop.resolve("big.ndjson.partial"))).isGreaterThanOrEqualTo(4L * HEAP_MB << 20);

        Path log = Path.of("target", "streams-memory-" + run + ".log");
        try (KillableProcess streams = KillableProcess.start(StreamsApp.class, env(kafka, drop, run), log, HEAP_MB)) {
            Files.move(drop.resolve("big.ndjson.partial"), drop.resolve("big.ndjson"));
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                assertThat(streams.isAlive()).as("the streams app is running (log %s)", log).isTrue();
                ImportCounts c = status(kafka, "imports-status-" + run);
                return c != null && c.lines() != null && c.accepted() == lines;
            });
            assertThat(drop.resolve("done/big.ndjson")).exists();
            assertThat(Files.readString(log)).as("no OutOfMemoryError in %s", log).doesNotContain("OutOfMemoryError");
            assertThat(streams.terminate()).as("a clean stop after the import (log %s)", log).isZero();
        }
    }

    /** Lines of about {@link #LINE_BYTES} bytes for tenant 1, model company, until the file has {@code bytes}. */
    private static long writeFile(Path file, long bytes) throws IOException {
        String pad = "p".repeat(LINE_BYTES - 100);
        long lines = 0;
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (written < bytes) {
                lines++;
                String line = "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"seq\":" + lines + ",\"pad\":\"" + pad + "\"}}\n";
                w.write(line);
                written += line.length();
            }
        }
        return lines;
    }

    private static ImportCounts status(EmbeddedKafka kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ImportCounts last = null;
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(java.util.List.of(tp));
            c.seekToBeginning(java.util.List.of(tp));
            long end = c.endOffsets(java.util.List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    last = ImportCounts.fromJson(r.value());
                }
            }
        }
        return last;
    }

    private Map<String, String> env(EmbeddedKafka kafka, Path drop, String run) {
        Map<String, String> s = ChildSettings.imports(kafka, drop, dir.resolve("state"), run);
        s.put("pidFileDir", dir.resolve("pids").toString());
        return ChildSettings.env(StreamsAppConfig.definition().options(), s);
    }

    private static void publishModel(EmbeddedKafka kafka, String topic) throws Exception {
        ObjectNode model = Json.object();
        model.put("id", 7);
        model.put("tenant_id", 1);
        model.put("name", "company");
        ObjectNode field = Json.object();
        field.put("id", 70);
        field.put("model_id", 7);
        field.put("name", "seq");
        field.put("declared_type", "int");
        field.put("is_filterable", 1);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            int pos = 4;
            for (var row : Map.of("stardust_models", model, "stardust_fields", field).entrySet()) {
                ObjectNode key = Json.object();
                key.put("id", row.getValue().get("id").asLong());
                RegistryChange c = new RegistryChange(Op.CREATE, row.getKey(), key, null, row.getValue(),
                        new SourcePosition("binlog.000001", pos++, 0, null, 1, false), Instant.now());
                p.send(new ProducerRecord<>(topic, RegistryChangeCodec.encodeKey(c), RegistryChangeCodec.encodeValue(c))).get();
            }
        }
    }
}

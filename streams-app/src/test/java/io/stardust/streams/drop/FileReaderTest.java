package io.stardust.streams.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.engine.event.EventLog;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.streams.wire.ImportHeaders;
import io.stardust.streams.wire.ImportProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaExtension.class)
class FileReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofMinutes(1));

    @TempDir
    Path drop;

    private EmbeddedKafka kafka;
    private String imports;
    private String progress;
    private String readerId;
    private FileReader reader;

    @BeforeEach
    void topics(EmbeddedKafka k) {
        kafka = k;
        String run = UUID.randomUUID().toString().substring(0, 8);
        imports = "imports-" + run;
        progress = "progress-" + run;
        readerId = "r-" + run;
        kafka.createTopic(imports, 3);
        kafka.createTopic(progress, 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void anNdjsonFileIsSentLineByLineKeyedByTenantWithItsEndMarkerAndMovedToDone() throws Exception {
        write("a.ndjson", "{\"tenantId\":7,\"model\":\"m\",\"fields\":{}}\n\n{\"tenantId\":8,\"model\":\"m\",\"fields\":{}}\nnot json\n");
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/a.ndjson")));
        List<ConsumerRecord<String, byte[]>> sent = CommittedRecords.read(kafka, imports);
        assertThat(sent).extracting(r -> r.key() + "@" + ImportHeaders.text(r.headers(), ImportHeaders.LINE))
                .containsExactlyInAnyOrder("7@1", "8@3", id(sent) + "@4", id(sent) + "@null");
        ConsumerRecord<String, byte[]> end = sent.stream().filter(r -> r.headers().lastHeader(ImportHeaders.END) != null)
                .findFirst().orElseThrow();
        assertThat(ImportHeaders.text(end.headers(), ImportHeaders.END)).isEqualTo("3");
        assertThat(lastProgress().state()).isEqualTo(ImportProgress.READ);
        assertThat(lastProgress().dataLines()).isEqualTo(3);
    }

    @Test
    void theSameContentDroppedTwiceIsSentOnceAndBothFilesEndInDone() throws Exception {
        String content = lines(1, 5);
        write("first.ndjson", content);
        start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/first.ndjson")));
        write("again/second.ndjson", content);

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/again/second.ndjson")));
        assertThat(CommittedRecords.read(kafka, imports)).hasSize(5 + 1);
    }

    @Test
    void aClaimedFileIsResumedAfterTheCommittedPositionWithoutResendingItsFirstLines() throws Exception {
        Path claimed = drop.resolve("processing/" + readerId + "/b.ndjson");
        Files.createDirectories(claimed.getParent());
        Files.writeString(claimed, lines(1, 10));
        String importId = FileCheck.importId(claimed, false, null);
        // what an earlier run of this reader committed before it was killed: 4 lines and their position
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(progress, importId, new ImportProgress(importId, "b.ndjson", "ndjson",
                    ImportProgress.READING, 4, 4, null, OLD).toJson())).get();
        }
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/b.ndjson")));
        List<ConsumerRecord<String, byte[]>> sent = CommittedRecords.read(kafka, imports);
        assertThat(sent).filteredOn(r -> r.headers().lastHeader(ImportHeaders.END) == null)
                .extracting(r -> ImportHeaders.text(r.headers(), ImportHeaders.LINE))
                .containsExactlyInAnyOrder("5", "6", "7", "8", "9", "10");
        assertThat(sent).filteredOn(r -> r.headers().lastHeader(ImportHeaders.END) != null)
                .extracting(r -> ImportHeaders.text(r.headers(), ImportHeaders.END)).containsExactly("10");
    }

    @Test
    void aCorruptGzipGoesToErrorWithoutSendingAnyLine() throws Exception {
        byte[] gz = gzip(lines(1, 2000));
        Path file = drop.resolve("broken.ndjson.gz");
        Files.write(file, java.util.Arrays.copyOf(gz, gz.length / 2));
        Files.setLastModifiedTime(file, FileTime.from(OLD));
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("error/broken.ndjson.gz")));
        assertThat(CommittedRecords.read(kafka, imports)).isEmpty();
        assertThat(lastProgress().state()).isEqualTo(ImportProgress.FAILED);
        assertThat(lastProgress().reason()).contains("cannot read the file");
    }

    @Test
    void aGzippedCsvUnderTenantAndModelIsSentKeyedByTheTenantWithItsHeaderRow() throws Exception {
        Path file = drop.resolve("4/company/c.csv.gz");
        Files.createDirectories(file.getParent());
        Files.write(file, gzip("name,employees\r\nAcme,3\r\nInitech,5\r\n"));
        Files.setLastModifiedTime(file, FileTime.from(OLD));
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/4/company/c.csv.gz")));
        List<ConsumerRecord<String, byte[]>> lines = CommittedRecords.read(kafka, imports).stream()
                .filter(r -> r.headers().lastHeader(ImportHeaders.END) == null).toList();
        assertThat(lines).extracting(ConsumerRecord::key).containsOnly("4");
        assertThat(lines).extracting(r -> ImportHeaders.text(r.headers(), ImportHeaders.LINE) + ":"
                + new String(r.value(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("2:Acme,3", "3:Initech,5");
        assertThat(lines).extracting(r -> ImportHeaders.text(r.headers(), ImportHeaders.CSV_HEADER)).containsOnly("name,employees");
    }

    @Test
    void aCsvOutsideATenantAndModelDirectoryGoesToErrorWithTheReason() throws Exception {
        write("loose.csv", "a,b\n1,2\n");
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("error/loose.csv")));
        assertThat(lastProgress().reason()).contains("<dropDir>/<tenantId>/<model>/");
        assertThat(CommittedRecords.read(kafka, imports)).isEmpty();
    }

    @Test
    void aFileModifiedWithinTheMinimumAgeOrStillPartialIsNotClaimed() throws Exception {
        Path fresh = drop.resolve("fresh.ndjson");
        Files.writeString(fresh, lines(1, 1));
        Files.setLastModifiedTime(fresh, FileTime.from(NOW.minusSeconds(1)));
        write("copying.ndjson.partial", lines(1, 1));
        write("marker.ndjson", lines(1, 2));
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/marker.ndjson")));
        assertThat(fresh).exists();
        assertThat(drop.resolve("copying.ndjson.partial")).exists();
    }

    @Test
    void aLineLongerThanTheLimitIsSentAsItsLengthOnly() throws Exception {
        write("long.ndjson", "x".repeat(500) + "\n" + lines(2, 2));
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done/long.ndjson")));
        ConsumerRecord<String, byte[]> first = CommittedRecords.read(kafka, imports).stream()
                .filter(r -> "1".equals(ImportHeaders.text(r.headers(), ImportHeaders.LINE))).findFirst().orElseThrow();
        assertThat(first.value()).isEmpty();
        assertThat(ImportHeaders.text(first.headers(), ImportHeaders.OVERSIZED)).isEqualTo("500");
    }

    private void start() {
        reader = FileReader.start(new FileReader.Settings(kafka.bootstrapServers(), readerId, Duration.ofSeconds(5),
                Duration.ofMillis(100), imports, progress, 3, 256, Duration.ofSeconds(60)), drop, Clock.fixed(NOW, ZoneOffset.UTC),
                new EventLog("streams"));
    }

    private void write(String rel, String content) throws IOException {
        Path f = drop.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.from(OLD));
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"tenantId\":" + (i % 4 + 1) + ",\"model\":\"m\",\"fields\":{\"n\":" + i + "}}")
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static byte[] gzip(String s) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String id(List<ConsumerRecord<String, byte[]>> sent) {
        return ImportHeaders.text(sent.get(0).headers(), ImportHeaders.IMPORT_ID);
    }

    private ImportProgress lastProgress() {
        List<ConsumerRecord<String, byte[]>> all = CommittedRecords.read(kafka, progress);
        return ImportProgress.fromJson(new String(all.get(all.size() - 1).value(), StandardCharsets.UTF_8));
    }
}

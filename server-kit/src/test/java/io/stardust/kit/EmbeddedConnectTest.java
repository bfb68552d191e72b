package io.stardust.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One real Connect worker (connect-file's FileStreamSink on its classpath) shared by the tests of this class. */
@ExtendWith(KafkaExtension.class)
class EmbeddedConnectTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FILE_SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";

    private static EmbeddedConnect connect;
    private final EmbeddedKafka kafka;

    EmbeddedConnectTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeAll
    static void startWorker(EmbeddedKafka kafka) {
        connect = EmbeddedConnect.start(ConnectOptions.forTests(workDir(), kafka.bootstrapServers()));
    }

    @AfterAll
    static void stopWorker() {
        if (connect != null) {
            connect.close();
        }
    }

    @Test
    void aFileSinkConnectorCopiesTopicRecordsToItsFileAndIsGoneAfterDelete() throws IOException {
        assertThat(connect.connectorPlugins()).contains(FILE_SINK);
        kafka.createTopic("connect-file-sink", 1);
        produce("connect-file-sink", "alpha", "beta", "gamma");
        Path out = Files.createTempFile(workDir(), "file-sink", ".txt");

        connect.createConnector("file-sink", fileSink("connect-file-sink", out));
        ConnectorStatus status = connect.awaitRunning("file-sink", 1, WAIT);

        assertThat(status.tasks()).extracting(ConnectorStatus.Task::state).containsExactly(ConnectorStatus.RUNNING);
        await().atMost(WAIT).until(() -> lines(out).size() == 3);
        assertThat(lines(out)).containsExactly("alpha", "beta", "gamma");

        connect.deleteConnector("file-sink");
        assertThat(connect.connectors()).doesNotContain("file-sink");
        assertThatThrownBy(() -> connect.connectorStatus("file-sink"))
                .isInstanceOfSatisfying(ConnectRestException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aConnectorWithAnUnknownClassIsRefusedWithConnectsMessage() {
        assertThatThrownBy(() -> connect.createConnector("no-such-class",
                Map.of("connector.class", "com.example.NoSuchConnector", "topics", "x")))
                .isInstanceOfSatisfying(ConnectRestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.connectMessage()).contains("com.example.NoSuchConnector");
                });
        assertThat(connect.connectors()).doesNotContain("no-such-class");
    }

    @Test
    void aConnectorWhoseTaskFailsMakesAwaitRunningFailWithTheTrace() throws IOException {
        kafka.createTopic("connect-failing-sink", 1);
        produce("connect-failing-sink", "one");
        // a directory where the sink wants a file: the task fails when it opens it
        Path notAFile = Files.createTempDirectory(workDir(), "not-a-file");

        connect.createConnector("failing-sink", fileSink("connect-failing-sink", notAFile));

        assertThatThrownBy(() -> connect.awaitRunning("failing-sink", 1, WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connector failing-sink failed: task 0:");
        connect.deleteConnector("failing-sink");
    }

    @Test
    void aCrashedWorkerRestartsOnTheSameRestPortAndItsSinkResumes() throws IOException {
        kafka.createTopic("connect-crash-sink", 1);
        produce("connect-crash-sink", "before");
        Path out = Files.createTempFile(workDir(), "crash-sink", ".txt");
        connect.createConnector("crash-sink", fileSink("connect-crash-sink", out));
        connect.awaitRunning("crash-sink", 1, WAIT);
        await().atMost(WAIT).until(() -> lines(out).contains("before"));
        int port = connect.restPort();

        connect.crash();
        assertThat(connect.isRunning()).isFalse();
        assertThatThrownBy(connect::pid).isInstanceOf(IllegalStateException.class);

        connect.restart();
        assertThat(connect.restPort()).isEqualTo(port);
        assertThat(connect.connectors()).isEmpty(); // standalone mode keeps no connector configurations
        connect.createConnector("crash-sink", fileSink("connect-crash-sink", out));
        connect.awaitRunning("crash-sink", 1, WAIT);
        produce("connect-crash-sink", "after");
        await().atMost(WAIT).until(() -> lines(out).contains("after"));
        connect.deleteConnector("crash-sink");
    }

    @Test
    void aPluginPathEntryThatIsNotADirectoryIsRefusedBeforeAnythingStarts() {
        Path missing = workDir().resolve("no-such-plugins");
        assertThatThrownBy(() -> EmbeddedConnect.start(ConnectOptions.forTests(workDir(), kafka.bootstrapServers())
                .withPluginPath(List.of(missing))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    private static Map<String, String> fileSink(String topic, Path file) {
        return Map.of("connector.class", FILE_SINK, "tasks.max", "1", "topics", topic, "file", file.toString());
    }

    private void produce(String topic, String... values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v));
            }
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static Path workDir() {
        Path dir = Path.of(System.getProperty("stardust.kit.dir", System.getProperty("java.io.tmpdir") + "/stardust-kit"));
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

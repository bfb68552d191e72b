package io.stardust.connect.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.connect.SinkFixture;
import io.stardust.connect.StarDustSinkConnector;
import io.stardust.kit.ConnectOptions;
import io.stardust.kit.EmbeddedConnect;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After {@code mvn package}: the plugin directory, installed on a fresh worker's {@code plugin.path} with
 * {@code plugin.discovery=service_load} (KIP-898) and a classpath that holds none of StarDust's classes, runs the
 * connector; the directory and the zip carry no Kafka jar.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class PackagedPluginTest {
    private static final Path PLUGINS = Path.of(System.getProperty("stardust.connect.plugin.dir", "target/plugin")).toAbsolutePath();
    private final TestDatabase db;
    private final EmbeddedKafka kafka;

    PackagedPluginTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @Test
    void thePluginDirectoryAndZipHoldTheConnectorAndItsDependenciesButNoKafkaJar() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(PLUGINS.resolve("stardust-connect-sink"))) {
            jars = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("stardust-connect-sink-")).anyMatch(j -> j.startsWith("stardust-ingest-core-"))
                .anyMatch(j -> j.startsWith("mysql-connector-j-"))
                .noneMatch(j -> j.startsWith("kafka-") || j.startsWith("connect-") || j.startsWith("slf4j-api"));
        Path zip;
        try (Stream<Path> files = Files.list(PLUGINS)) {
            zip = files.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> entries = z.stream().filter(e -> !e.isDirectory()).map(e -> e.getName()).toList();
            assertThat(entries).allMatch(e -> e.startsWith("stardust-connect-sink/")).hasSize(jars.size());
        }
    }

    @Test
    void aFreshWorkerWithServiceLoadDiscoveryRunsTheConnectorFromThePluginDirectory() {
        try (SinkFixture fx = new SinkFixture(db, 1);
             EmbeddedConnect connect = EmbeddedConnect.start(ConnectOptions.forTests(workDir(), kafka.bootstrapServers())
                     .withClasspath(classpathWithoutStarDust()).withPluginPath(List.of(PLUGINS))
                     .withWorkerProperty("plugin.discovery", "service_load"))) {
            assertThat(connect.connectorPlugins()).contains(StarDustSinkConnector.class.getName());
            String topic = "packaged-" + System.nanoTime();
            kafka.createTopic(topic, 1);
            produce(topic, 100);
            Map<String, String> c = fx.connectorConfig("packaged", topic);
            connect.createConnector("packaged", c);
            connect.awaitRunning("packaged", 1, Duration.ofSeconds(90));

            await().atMost(Duration.ofSeconds(90)).until(() -> fx.positions("connect-packaged").getOrDefault(topic + "-0", 0L) == 100L);
            assertThat(fx.liveSeqByKey(1)).hasSize(10).containsEntry("k9", "99");
        }
    }

    /** The test JVM's classpath minus StarDust's jars and class directories: the worker must load the plugin. */
    private static String classpathWithoutStarDust() {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                // the server kit stays: it holds the worker's logback configuration, and no connector
                .filter(e -> e.contains("server-kit") || !(e.contains("stardust-") || e.contains(File.separator + "target" + File.separator)))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(cp).contains("connect-runtime");
        return cp;
    }

    private void produce(String topic, int n) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i % 10, SinkFixture.envelope(1, "k" + i % 10, i)));
            }
        }
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

package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code bin/stardust gateway} as a real process: records become entries, SIGTERM drains and exits 0. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayCliTest {

    @Test
    void gatewayWritesProducedRecordsAndStopsCleanlyOnSigterm(TestDatabase db, EmbeddedKafka kafka) throws Exception {
        db.reset();
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers())
                .withEnv("STARDUST_GATEWAY_TOPIC", "cli.entries").withEnv("STARDUST_GATEWAY_EVENTS_TOPIC", "cli.entries.events")
                .withEnv("STARDUST_GATEWAY_GROUP_ID", "cli-test").withEnv("STARDUST_GATEWAY_METRICS_PORT", "0");
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=1", "--name=note", "--field=title:string:filterable", "--provision")
                .exitCode()).isZero();
        kafka.createTopic("cli.entries", 2);
        kafka.createTopic("cli.entries.events", 2);

        Process gateway = cli.start(null, "gateway");
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("cli.entries", "1",
                        "{\"tenantId\":1,\"model\":\"note\",\"key\":\"k" + (i % 40) + "\",\"fields\":{\"title\":\"t" + i + "\"}}"));
            }
            producer.send(new ProducerRecord<>("cli.entries", "1", "not json"));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> count(db, "SELECT COUNT(*) FROM entry_data") == 40
                && count(db, "SELECT COUNT(*) FROM stardust_ingest_dlq") == 1);
        assertThat(count(db, "SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 = 't49'")).isEqualTo(1);

        gateway.destroy(); // SIGTERM
        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isZero();

        CliRunner.Result list = cli.run("ingest:dlq:list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("not_json");
        assertThat(cli.withEnv("STARDUST_KAFKA_BOOTSTRAP", "").run("gateway").exitCode()).as("missing bootstrap").isEqualTo(2);
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

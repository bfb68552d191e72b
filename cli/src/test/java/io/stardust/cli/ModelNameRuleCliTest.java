package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * One model-name rule at every entry point, each as a real process: {@code model:define}, {@code model:describe},
 * {@code entry:write}, {@code search} (its {@code --model} and the filter's {@code field.model}), the HTTP API of
 * {@code serve} and the ingest {@code gateway} all take {@code company}, {@code Company} and {@code cómpany} as the
 * one registered model {@code company}, and all refuse {@code companies}.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class ModelNameRuleCliTest {

    @Test
    void everyEntryPointResolvesCasedAndAccentedSpellingsToTheSameModel(TestDatabase db, EmbeddedKafka kafka) throws Exception {
        db.reset();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_HTTP_PORT", String.valueOf(port))
                .withEnv("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers())
                .withEnv("STARDUST_GATEWAY_TOPIC", "names.entries").withEnv("STARDUST_GATEWAY_EVENTS_TOPIC", "names.events")
                .withEnv("STARDUST_GATEWAY_GROUP_ID", "names-test").withEnv("STARDUST_GATEWAY_METRICS_PORT", "0");
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        CliRunner.Result defined = cli.run("model:define", "--tenant=1", "--name=company", "--field=name:string:filterable",
                "--provision");
        assertThat(defined.exitCode()).as(defined.stderr()).isZero();

        // define
        CliRunner.Result redefined = cli.run("model:define", "--tenant=1", "--name=Cómpany", "--field=name:string:filterable");
        assertThat(redefined.exitCode()).as(redefined.stderr()).isZero();
        assertThat(redefined.stdout()).startsWith("model company id=1 ");
        assertThat(count(db, "SELECT COUNT(*) FROM stardust_models")).isEqualTo(1);

        // describe
        CliRunner.Result described = cli.run("model:describe", "--tenant=1", "--name=CÓMPANY", "--json");
        assertThat(described.exitCode()).as(described.stderr()).isZero();
        assertThat(described.json().get("name").asText()).isEqualTo("company");

        // write
        CliRunner.Result written = cli.runWithStdin("{\"name\":\"Acme\"}\n".getBytes(StandardCharsets.UTF_8),
                "entry:write", "--tenant=1", "--model=cómpany");
        assertThat(written.exitCode()).as(written.stderr()).isZero();
        CliRunner.Result unknown = cli.runWithStdin("{\"name\":\"Nope\"}\n".getBytes(StandardCharsets.UTF_8),
                "entry:write", "--tenant=1", "--model=companies");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no model named 'companies'");

        // search: --model and the filter's field.model
        String filter = filter("cómpany", "Acme");
        CliRunner.Result found = cli.runWithStdin(filter.getBytes(StandardCharsets.UTF_8), "search", "--tenant=1", "--model=Company");
        assertThat(found.exitCode()).as(found.stdout() + found.stderr()).isZero();
        assertThat(found.json().get("rows")).hasSize(1);
        CliRunner.Result otherModel = cli.runWithStdin(filter("companies", "Acme").getBytes(StandardCharsets.UTF_8),
                "search", "--tenant=1", "--model=company");
        assertThat(otherModel.exitCode()).isEqualTo(2);
        assertThat(otherModel.json().get("errorCode").asText()).isEqualTo("field_unknown");

        // HTTP
        CliRunner.Result created = cli.run("apikey:create", "--tenant=1", "--scopes=read");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String key = created.stdout().trim();
        Path out = Files.createTempFile("serve-out", ".txt");
        Path err = Files.createTempFile("serve-err", ".txt");
        Process serve = cli.startLogged(out, err, "serve");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port + "/v1/tenants/1/models/";
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> send(http, key, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))).statusCode() == 200);
            HttpResponse<String> list = send(http, key, HttpRequest.newBuilder(URI.create(base + "c%C3%B3mpany/entries")));
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(Json.parse(list.body()).get("rows")).hasSize(1);
            HttpResponse<String> search = send(http, key, HttpRequest.newBuilder(URI.create(base + "Company/search"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(filter)));
            assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
            assertThat(Json.parse(search.body()).get("rows")).hasSize(1);
            assertThat(send(http, key, HttpRequest.newBuilder(URI.create(base + "companies/entries"))).statusCode()).isEqualTo(404);
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        // gateway
        kafka.createTopic("names.entries", 1);
        kafka.createTopic("names.events", 1);
        Process gateway = cli.start(null, "gateway");
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (String spelling : new String[] {"Cómpany", "COMPANY", "companies"}) {
                producer.send(new ProducerRecord<>("names.entries", "1",
                        "{\"tenantId\":1,\"model\":\"" + spelling + "\",\"fields\":{\"name\":\"" + spelling + "\"}}"));
            }
        }
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> count(db, "SELECT COUNT(*) FROM entry_data") == 3
                    && count(db, "SELECT COUNT(*) FROM stardust_ingest_dlq") == 1);
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count(db, "SELECT COUNT(*) FROM entry_data WHERE model_id = 1")).isEqualTo(3);
        assertThat(count(db, "SELECT COUNT(*) FROM stardust_ingest_dlq WHERE reason = 'unknown_model'")).isEqualTo(1);
    }

    private static String filter(String model, String value) {
        return "{\"version\":\"1\",\"filter\":{\"op\":\"eq\",\"field\":{\"model\":\"" + model + "\",\"name\":\"name\"},"
                + "\"value\":\"" + value + "\"}}";
    }

    private static HttpResponse<String> send(HttpClient http, String key, HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
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

package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import io.stardust.registry.events.SourcePosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stardust streams}, {@code bin/stardust gateway} and the file-import commands as real processes against
 * a real broker and MySQL. The registry topic is written here (one model, also defined in MySQL for the gateway), so
 * no registry mirror runs; {@code --wait} ends when the gateway's events say every accepted line landed.
 */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class ImportCliTest {
    @TempDir
    Path dir;

    @Test
    void submittedFilesAreImportedWaitedForListedAndTheirRejectedLinesShownWithFileLineAndReason(TestDatabase db,
            EmbeddedKafka kafka) throws Exception {
        db.reset();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String registry = "cli.registry." + run;
        kafka.createTopic(registry, 1, Map.of("cleanup.policy", "compact"));
        publishModel(kafka, registry);
        Path drop = Files.createDirectories(dir.resolve("drop"));
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers())
                .withEnv("STARDUST_IMPORT_DROP_DIR", drop.toString()).withEnv("STARDUST_IMPORT_MIN_FILE_AGE", "100ms")
                .withEnv("STARDUST_IMPORT_POLL_INTERVAL", "100ms")
                .withEnv("STARDUST_REGISTRY_MIRROR_TOPIC", registry)
                .withEnv("STARDUST_IMPORTS_TOPIC", "cli.imports." + run)
                .withEnv("STARDUST_IMPORTS_PROGRESS_TOPIC", "cli.imports.progress." + run)
                .withEnv("STARDUST_IMPORTS_REJECTED_TOPIC", "cli.imports.rejected." + run)
                .withEnv("STARDUST_IMPORTS_STATUS_TOPIC", "cli.imports.status." + run)
                .withEnv("STARDUST_GATEWAY_TOPIC", "cli.entries." + run)
                .withEnv("STARDUST_GATEWAY_EVENTS_TOPIC", "cli.entries.events." + run)
                .withEnv("STARDUST_GATEWAY_GROUP_ID", "cli-gateway-" + run)
                .withEnv("STARDUST_GATEWAY_METRICS_PORT", "-1")
                .withEnv("STARDUST_STREAMS_APPLICATION_ID", "cli-streams-" + run)
                .withEnv("STARDUST_STREAMS_STATE_DIR", dir.resolve("state").toString())
                .withEnv("STARDUST_PID_FILE_DIR", dir.resolve("pids").toString());
        Path good = dir.resolve("good.ndjson");
        Files.writeString(good, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"seq\":1}}\n"
                + "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"seq\":2}}\n");
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "seq,name\n1,a\nlots,b\n3,c\n");

        CliRunner.Result noTenant = cli.run("import:submit", csv.toString());
        assertThat(noTenant.exitCode()).isEqualTo(2);
        assertThat(noTenant.stderr()).contains("--tenant");

        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=1", "--name=company", "--field=seq:int:filterable", "--provision")
                .exitCode()).isZero();
        Process streams = cli.startLogged(dir.resolve("streams.out"), dir.resolve("streams.err"), "streams");
        Process gateway = cli.startLogged(dir.resolve("gateway.out"), dir.resolve("gateway.err"), "gateway");
        try {
            CliRunner.Result ok = cli.run("import:submit", good.toString(), "--wait");
            assertThat(ok.exitCode()).as(ok.stderr()).isZero();
            assertThat(ok.stdout()).contains("2 lines, 2 landed, 0 rejected, 0 dead-lettered");

            CliRunner.Result bad = cli.run("import:submit", csv.toString(), "--tenant=1", "--model=company", "--wait");
            assertThat(bad.exitCode()).as(bad.stderr()).isEqualTo(1);
            assertThat(bad.stdout()).contains("3 lines, 2 landed, 1 rejected, 0 dead-lettered");
            String csvId = bad.stdout().lines().findFirst().orElseThrow();
            assertThat(drop.resolve("done/1/company/rows.csv")).exists();

            CliRunner.Result rejected = cli.run("import:rejected", csvId.substring(0, 10));
            assertThat(rejected.exitCode()).as(rejected.stderr()).isZero();
            assertThat(rejected.stdout().strip()).startsWith("1/company/rows.csv:3: uncoercible_value: ").contains("seq");

            CliRunner.Result list = cli.run("import:status");
            assertThat(list.exitCode()).as(list.stderr()).isZero();
            assertThat(list.stdout().lines().filter(l -> l.contains("landed"))).hasSize(2);
            CliRunner.Result one = cli.run("import:status", csvId, "--json");
            assertThat(one.json().get("state").asText()).isEqualTo("landed");
            assertThat(one.json().get("landed").asLong()).isEqualTo(2);
            assertThat(one.json().get("rejected").asLong()).isEqualTo(1);

            CliRunner.Result again = cli.run("import:submit", good.toString(), "--wait");
            assertThat(again.exitCode()).as("the same content again is imported once: " + again.stderr()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(drop.resolve("done")) && countDone(drop) == 3);

            assertThat(cli.run("import:status", "--tenant=1").exitCode()).as("an import job needs --id too").isEqualTo(2);
        } finally {
            streams.destroy(); // SIGTERM
            gateway.destroy();
            assertThat(streams.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(gateway.waitFor(90, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(streams.exitValue()).as(Files.readString(dir.resolve("streams.err"))).isZero();

        CliRunner.Result noRegistry = cli.withEnv("STARDUST_REGISTRY_MIRROR_TOPIC", "cli.no.such.registry." + run).run("streams");
        assertThat(noRegistry.exitCode()).as("a missing registry topic is a refusal").isEqualTo(2);
        assertThat(noRegistry.stderr()).contains("cli.no.such.registry." + run).contains("registry mirror");
    }

    private static long countDone(Path drop) throws java.io.IOException {
        try (var files = Files.walk(drop.resolve("done"))) {
            return files.filter(Files::isRegularFile).count();
        }
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

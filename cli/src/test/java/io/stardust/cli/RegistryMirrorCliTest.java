package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChanges;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code bin/stardust registry-mirror} as a real process: model:define reaches the topic, SIGTERM drains and exits 0. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class RegistryMirrorCliTest {

    @Test
    void registryMirrorPublishesAModelDefinedByTheCliAndStopsCleanlyOnSigterm(TestDatabase db, EmbeddedKafka kafka) throws Exception {
        db.reset();
        CliRunner cli = new CliRunner(db).withEnv("STARDUST_KAFKA_BOOTSTRAP", kafka.bootstrapServers())
                .withEnv("STARDUST_REGISTRY_MIRROR_TOPIC", "cli.registry")
                .withEnv("STARDUST_REGISTRY_MIRROR_OFFSETS_TOPIC", "cli.registry.offsets")
                .withEnv("STARDUST_REGISTRY_MIRROR_HISTORY_TOPIC", "cli.registry.history")
                .withEnv("STARDUST_REGISTRY_MIRROR_METRICS_PORT", "0");
        assertThat(cli.run("bootstrap").exitCode()).isZero();

        Process mirror = cli.start(null, "registry-mirror");
        List<RegistryChange> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()), "cli.registry",
                    RegistryChanges.Start.earliest(), c -> { }).close();
            return true;
        });
        try (RegistryChanges follower = RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                "cli.registry", RegistryChanges.Start.earliest(), seen::add)) {
            assertThat(cli.run("model:define", "--tenant=1", "--name=note", "--field=title:string:filterable").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.stream().anyMatch(c -> c.table().equals("stardust_fields")
                    && c.after().get("name").asText().equals("title")));
        }
        mirror.destroy(); // SIGTERM
        assertThat(mirror.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mirror.exitValue()).isZero();

        assertThat(cli.withEnv("STARDUST_KAFKA_BOOTSTRAP", "").run("registry-mirror").exitCode()).as("missing bootstrap").isEqualTo(2);
        assertThat(cli.run("registry-mirror", "--print-config-reference").stdout()).contains("`registryMirrorTopic`");
    }
}

package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.EngineFixture;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChanges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class MirrorCrashTest {
    private static final int MODELS = 500; // each defineModel: one model insert + one schema-version bump = 1,000 changes

    @Test
    void aMirrorSigkilledDuringABurstOfAThousandRegistryChangesResumesAndEveryChangeIsOnTheTopicInOrder(
            TestDatabase db, EmbeddedKafka kafka, @TempDir Path tmp) throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            MirrorFixture mf = new MirrorFixture(db, kafka);
            long startVersion = fx.count("SELECT version FROM stardust_schema_version");
            Path log1 = tmp.resolve("mirror-1.log");
            try (KillableProcess first = KillableProcess.start(RegistryMirrorApp.class, mf.environment(), log1)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(log1).contains("mirror_started")
                        && !mf.read(l -> !l.isEmpty(), Duration.ofSeconds(1)).isEmpty());
                long publishedBefore = batchesPublished(log1); // the snapshot's batch
                CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < MODELS; i++) {
                        fx.engine.defineModel(1, "m" + i, List.of());
                    }
                });
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> batchesPublished(log1) > publishedBefore);
                assertThat(burst).as("the mirror is killed while the burst is still committing").isNotDone();
                first.kill();
                burst.get();
            }
            long endVersion = startVersion + MODELS;
            assertThat(fx.count("SELECT version FROM stardust_schema_version")).isEqualTo(endVersion);

            Path log2 = tmp.resolve("mirror-2.log");
            try (KillableProcess second = KillableProcess.start(RegistryMirrorApp.class, mf.environment(), log2)) {
                List<RegistryChange> seen = new CopyOnWriteArrayList<>();
                try (RegistryChanges follower = RegistryChanges.follow(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        mf.topic, RegistryChanges.Start.earliest(), seen::add)) {
                    await().atMost(Duration.ofSeconds(120)).until(() -> seen.stream().anyMatch(c ->
                            c.table().equals("stardust_schema_version") && c.after().get("version").asLong() == endVersion));

                    // per row, in commit order, none missing: the version row went through every value once
                    List<Long> versions = seen.stream().filter(c -> c.table().equals("stardust_schema_version"))
                            .map(c -> c.after().get("version").asLong()).toList();
                    assertThat(versions).containsExactlyElementsOf(
                            LongStream.rangeClosed(startVersion, endVersion).boxed().toList());
                    Set<String> models = seen.stream().filter(c -> c.table().equals("stardust_models"))
                            .map(c -> c.after().get("name").asText()).collect(Collectors.toSet());
                    for (int i = 0; i < MODELS; i++) {
                        assertThat(models).contains("m" + i);
                    }
                    assertThat(follower.finished()).as("the follower is still following").isNotDone();
                }
                assertThat(second.terminate()).as("SIGTERM drains and exits 0").isZero();
            }
            // the raw topic: every version at least once, first occurrences in commit order; a re-sent change
            // carries the same idempotency key as the original
            List<MirrorFixture.Published> raw = mf.read(l -> false, Duration.ofSeconds(5)).stream()
                    .filter(p -> p.value() != null && p.table().equals("stardust_schema_version")).toList();
            assertThat(new LinkedHashSet<>(raw.stream().map(p -> p.value().at("/after/version").asLong()).toList()))
                    .containsExactlyElementsOf(LongStream.rangeClosed(startVersion, endVersion).boxed().toList());
            Map<Long, Set<String>> keysPerVersion = raw.stream().collect(Collectors.groupingBy(
                    p -> p.value().at("/after/version").asLong(),
                    Collectors.mapping(p -> p.value().get("idempotencyKey").asText(), Collectors.toSet())));
            keysPerVersion.values().forEach(k -> assertThat(k).hasSize(1));
        }
    }

    private static long batchesPublished(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("\"changes_published\"")).count();
    }
}

package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.EngineFixture;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.mirror.MirrorRefusedException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class BinlogPurgeTest {
    @Test
    void aMirrorWhoseStoredBinlogPositionWasPurgedRefusesToStartAndSaysWhy(TestDatabase db, EmbeddedKafka kafka) throws Exception {
        try (EngineFixture fx = EngineFixture.fresh(db)) {
            MirrorFixture mf = new MirrorFixture(db, kafka);
            try (RegistryMirror mirror = RegistryMirror.start(mf.config(), Clock.systemUTC())) {
                fx.engine.defineModel(1, "before_the_purge", List.of());
                mf.read(l -> l.stream().anyMatch(p -> p.value() != null && p.table().equals("stardust_models")), Duration.ofSeconds(60));
                assertThat(mirror.eventsPublished()).isPositive();
            }
            fx.engine.defineModel(1, "lost_to_the_purge", List.of()); // committed while the mirror is stopped
            try (Connection c = db.server().connect(""); Statement s = c.createStatement()) {
                s.execute("FLUSH BINARY LOGS");
                String newest = null;
                try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                    while (rs.next()) {
                        newest = rs.getString(1);
                    }
                }
                s.execute("PURGE BINARY LOGS TO '" + newest + "'");
            }

            RegistryMirror restarted = RegistryMirror.start(mf.config(), Clock.systemUTC());
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> restarted.finished().isDone());
                ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> restarted.finished().get());
                assertThat(failure.getCause()).isInstanceOf(MirrorRefusedException.class);
                MirrorRefusedException refused = (MirrorRefusedException) failure.getCause();
                assertThat(refused.reason()).isEqualTo(Reason.BINLOG_PURGED);
                assertThat(refused.getMessage()).contains("no longer on the MySQL server", mf.get("registryMirrorName"));
            } finally {
                restarted.close();
            }
            // nothing after the purge was published: the mirror refused instead of skipping ahead
            assertThat(mf.read(l -> false, Duration.ofSeconds(3))).noneMatch(p -> p.value() != null
                    && p.value().at("/after/name").asText().equals("lost_to_the_purge"));
        }
    }
}

package io.stardust.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.Sql;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.engine.outbox.OutboxStore.Change;
import io.stardust.gateway.health.StepClock;
import io.stardust.gateway.metrics.GatewayMetrics;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The relay's rounds against a real outbox table, one {@code runOnce()} at a time, with Kafka's
 * {@code MockProducer} acknowledging every send and a clock moved by hand.
 */
@ExtendWith(MySqlExtension.class)
class OutboxRelayTest {
    private final TestDatabase db;
    private HikariDataSource ds;
    private final StepClock clock = new StepClock();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private GatewayMetrics metrics;
    private OutboxRelay relay;

    OutboxRelayTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        db.reset();
        ds = Pools.open(db.jdbcUrl(), db.user(), db.password(), 3, "relay-test");
        StarDust.create(ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC()).bootstrap();
        metrics = new GatewayMetrics();
        relay = new OutboxRelay(ds, producer, "events", 1000, Duration.ofMillis(200), Duration.ofSeconds(1), metrics,
                HoldPoints.NONE, clock);
    }

    @AfterEach
    void tearDown() {
        relay.close();
        metrics.close();
        ds.close();
    }

    @Test
    void whileTheOutboxKeepsFillingPublishedRowsWaitForOneDeleteTogetherAndAreNeverPublishedTwice() throws SQLException {
        write(2);
        relay.runOnce();
        assertThat(published()).hasSize(2);
        assertThat(outboxRows()).as("published, its DELETE deferred while the outbox keeps filling").isEqualTo(1);

        write(1);
        relay.runOnce();
        assertThat(published()).as("only the new row's event: the published row is skipped").hasSize(3);
        assertThat(outboxRows()).isEqualTo(2);

        clock.advance(OutboxRelay.DELETE_INTERVAL);
        write(1);
        relay.runOnce();
        assertThat(published()).hasSize(4);
        assertThat(outboxRows()).as("the delete interval passed: every published row deleted in one go").isZero();
        assertThat(published().stream().distinct()).hasSize(4);
    }

    @Test
    void publishedRowsAreDeletedOnceTheirDeleteIntervalPassedAlsoWhenNothingNewComes() throws SQLException {
        write(3);
        relay.runOnce();
        relay.runOnce();
        assertThat(outboxRows()).as("a relay that keeps up finds nothing new between batches: no DELETE per batch")
                .isEqualTo(1);

        clock.advance(OutboxRelay.DELETE_INTERVAL);
        relay.runOnce();

        assertThat(outboxRows()).isZero();
        assertThat(published()).hasSize(3);
    }

    @Test
    void aRowCommittedWithASmallerIdAfterALargerOneWasPublishedIsStillPublished() throws SQLException {
        try (Connection slow = ds.getConnection()) {
            slow.setAutoCommit(false);
            OutboxStore.record(slow, changes(1), LocalDateTime.of(2026, 1, 1, 0, 0)); // takes an id, commits later
            write(1);
            relay.runOnce();
            assertThat(published()).hasSize(1);
            slow.commit();
        }
        relay.runOnce();
        assertThat(published()).as("not skipped by a last-id watermark").hasSize(2);
    }

    private void write(int events) throws SQLException {
        try (Connection c = ds.getConnection()) {
            OutboxStore.record(c, changes(events), LocalDateTime.of(2026, 1, 1, 0, 0));
        }
    }

    private static List<Change> changes(int events) {
        return IntStream.range(0, events).mapToObj(i -> new Change(OutboxEvent.CREATED, 1, 1, 100 + i, "k" + i)).toList();
    }

    private List<String> published() {
        return producer.history().stream().map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    private long outboxRows() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_entry_events", 0);
        }
    }
}

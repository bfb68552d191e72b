package io.stardust.gateway.relay;

import com.fasterxml.jackson.core.JsonGenerator;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Sql;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.engine.outbox.OutboxEvent;
import io.stardust.engine.outbox.OutboxStore;
import io.stardust.gateway.metrics.GatewayMetrics;
import io.stardust.ingest.failure.FailureKind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes the {@code stardust_entry_events} outbox to Kafka, in outbox id order, with the idempotent producer.
 * One relay per database is active: it holds the MySQL named lock {@code stardust_outbox_relay:<database>} on a
 * connection of its own; other gateways' relays stand by and take over when that connection dies.
 *
 * <p>Each round reads whole outbox rows holding about {@code batchSize} events (a row holds one write's events:
 * a gateway batch is one row), sends them (key {@code tenantId/entryId}, so one entry's
 * events land in one partition in order) and waits for every acknowledgement. Only acknowledged rows are deleted,
 * and not in every round: published rows are deleted together once the oldest of them has waited
 * {@link #DELETE_INTERVAL} (or once {@link #MAX_UNDELETED_ROWS} accumulate, or the relay stops). Each DELETE is a
 * commit of its own (redo and binlog fsynced) that competed with the writer's commits for the disk, one per batch;
 * later rounds skip the published rows by id. Crash points: before the sends are acknowledged
 * nothing is deleted and the next active relay sends the events again; after the acknowledgement and before the
 * DELETE, likewise (up to a delete interval's worth of rows). So publication is at-least-once, and consumers
 * deduplicate on {@code eventId}. A write that rolled back never had an outbox row, so it is never published.
 */
public final class OutboxRelay implements Runnable, AutoCloseable {
    /** How long published rows may wait for their DELETE while the outbox keeps filling. */
    static final Duration DELETE_INTERVAL = Duration.ofSeconds(1);
    /** Published rows deleted at the latest once this many wait (bounds the id list later rounds skip). */
    static final int MAX_UNDELETED_ROWS = 500;
    private static final Duration BACKLOG_REPORT_INTERVAL = Duration.ofSeconds(5);

    private final DataSource ds;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int batchSize;
    private final Duration idle;
    private final Duration backoffMax;
    private final GatewayMetrics metrics;
    private final HoldPoints holds;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private final EventLog events = new EventLog("gateway");
    private volatile boolean running = true;
    private Connection lockConnection;
    /** Rows this relay published (acknowledged) and has not deleted yet, in publication order. */
    private final Set<Long> published = new LinkedHashSet<>();
    private Instant publishedSince = Instant.MAX;
    private Instant lastBacklogReport = Instant.MIN;
    private long backoffMs = 100;

    public OutboxRelay(DataSource ds, Producer<byte[], byte[]> producer, String topic, int batchSize, Duration idle,
                       Duration backoffMax, GatewayMetrics metrics, HoldPoints holds, Clock clock) {
        this.ds = ds;
        this.producer = producer;
        this.topic = topic;
        this.batchSize = batchSize;
        this.idle = idle;
        this.backoffMax = backoffMax;
        this.metrics = metrics;
        this.holds = holds;
        this.clock = clock;
    }

    /** A commit happened: look at the outbox now rather than after the idle interval. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    @Override
    public void run() {
        while (running) {
            long pauseMs = runOnce();
            if (pauseMs > 0) {
                pause(pauseMs);
            }
        }
        if (lockConnection != null) {
            try {
                deletePublished(); // a clean stop leaves nothing published behind to be published again
            } catch (SQLException | RuntimeException e) {
                events.warning("relay_retry", "backoff_ms", 0, "failure", FailureKind.of(e).code(),
                        "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        release();
    }

    /** One round: publish what is new, delete what is due; returns how long to pause before the next (0: none). */
    long runOnce() {
        try {
            if (lockConnection == null && !acquire()) {
                return idle.toMillis() * 5;
            }
            List<OutboxEvent> batch = OutboxStore.pending(lockConnection, batchSize, published);
            Instant now = clock.instant();
            if (!now.isBefore(lastBacklogReport.plus(BACKLOG_REPORT_INTERVAL))) {
                metrics.backlog(batch.size() < batchSize ? batch.size() : OutboxStore.backlog(lockConnection, published));
                lastBacklogReport = now;
            }
            if (batch.isEmpty()) {
                // Not at once: a relay that keeps up finds nothing new between two batches, and would delete per batch.
                deleteIfDue(now);
                backoffMs = 100;
                return idle.toMillis();
            }
            holds.reached("relay_before_send");
            publish(batch);
            holds.reached("relay_after_send");
            if (published.isEmpty()) {
                publishedSince = now;
            }
            batch.forEach(e -> published.add(e.id()));
            metrics.published(batch.size());
            if (published.size() >= MAX_UNDELETED_ROWS) {
                deletePublished();
            } else {
                deleteIfDue(now);
            }
            backoffMs = 100;
            return 0;
        } catch (SQLException | RuntimeException e) {
            events.warning("relay_retry", "backoff_ms", backoffMs, "failure", FailureKind.of(e).code(),
                    "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            release();
            long pauseMs = backoffMs;
            backoffMs = Math.min(backoffMs * 2, backoffMax.toMillis());
            return pauseMs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return 0;
        }
    }

    private void deleteIfDue(Instant now) throws SQLException {
        if (!published.isEmpty() && !now.isBefore(publishedSince.plus(DELETE_INTERVAL))) {
            deletePublished();
        }
    }

    private void deletePublished() throws SQLException {
        if (published.isEmpty()) {
            return;
        }
        OutboxStore.delete(lockConnection, List.copyOf(published));
        published.clear();
        publishedSince = Instant.MAX;
    }

    private void publish(List<OutboxEvent> batch) throws InterruptedException {
        List<Future<?>> acks = new ArrayList<>(batch.size());
        for (OutboxEvent e : batch) {
            acks.add(producer.send(new ProducerRecord<>(topic, (e.tenantId() + "/" + e.entryId()).getBytes(StandardCharsets.UTF_8),
                    toJson(e))));
        }
        producer.flush();
        for (Future<?> f : acks) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException("event not acknowledged: " + ex.getCause(), ex.getCause());
            }
        }
    }

    /**
     * The published form; {@code key} only when the entry has an external key, {@code fields} (the entry after the
     * change, as stored) only when the writer recorded after-images ({@code gatewayEventsAfterImage}).
     */
    public static byte[] toJson(OutboxEvent e) {
        // Streamed, not built as a tree: the relay serialises one of these per committed change.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(192 + (e.fieldsJson() == null ? 0 : e.fieldsJson().length()));
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("type", e.type());
            g.writeNumberField("tenantId", e.tenantId());
            g.writeNumberField("modelId", e.modelId());
            g.writeNumberField("entryId", e.entryId());
            if (e.entryKey() != null) {
                g.writeStringField("key", e.entryKey());
            }
            g.writeStringField("committedAt", e.committedAt().atOffset(ZoneOffset.UTC).toString());
            if (e.origin() != null) {
                g.writeObjectFieldStart("import");
                g.writeStringField("id", e.origin().importId());
                g.writeNumberField("line", e.origin().line());
                g.writeEndObject();
                if (e.origin().deadLettered() != null) {
                    g.writeStringField("reason", e.origin().deadLettered());
                }
            }
            if (e.fieldsJson() != null) {
                g.writeFieldName("fields");
                g.writeRawValue(e.fieldsJson()); // stored JSON, valid as it is: no parse per event
            }
            g.writeEndObject();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex); // in-memory output cannot fail
        }
        return out.toByteArray();
    }

    private boolean acquire() throws SQLException {
        Connection c = ds.getConnection();
        boolean got = false;
        try {
            got = Sql.queryLong(c, "SELECT GET_LOCK(CONCAT('stardust_outbox_relay:', DATABASE()), 0)", 0) == 1;
        } finally {
            if (!got) {
                c.close();
            }
        }
        if (!got) {
            return false;
        }
        lockConnection = c;
        events.info("relay_active", "topic", topic);
        return true;
    }

    /** Closing the connection releases the named lock, so a standby relay can take over. */
    private void release() {
        // Whoever holds the lock next (this relay again, or a standby) reads the undeleted rows as unpublished.
        published.clear();
        publishedSince = Instant.MAX;
        if (lockConnection != null) {
            try {
                lockConnection.close();
            } catch (SQLException e) {
                // the connection is gone, and the lock with it
            }
            lockConnection = null;
        }
    }

    private void pause(long ms) {
        try {
            wake.tryAcquire(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
    }
}

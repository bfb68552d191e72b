package io.stardust.registry.mirror;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.stardust.engine.event.EventLog;
import io.stardust.registry.mirror.MirrorRefusedException.Reason;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One running mirror: checks MySQL's settings and the topic, then runs the Debezium engine whose batches
 * {@link RegistryPublisher} publishes. {@link #start} returns once the engine runs; {@link #finished()} completes
 * when it stops, exceptionally with a {@link MirrorRefusedException} when the stored binlog position was purged.
 */
public final class RegistryMirror implements AutoCloseable {
    private final RegistryMirrorConfig cfg;
    private final MirrorMetrics metrics;
    private final Producer<byte[], byte[]> producer;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final ExecutorService engineThread;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final EventLog events = new EventLog("registry_mirror");
    private final int metricsPort;
    private final Clock clock;

    private RegistryMirror(RegistryMirrorConfig cfg, Clock clock) {
        this.cfg = cfg;
        this.clock = clock;
        this.metrics = new MirrorMetrics(cfg.name(), clock);
        this.producer = new KafkaProducer<>(MirrorTopics.producerProperties(cfg));
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(DebeziumSettings.of(cfg))
                .using(clock)
                .notifying(new RegistryPublisher(producer, cfg.topic(), metrics))
                .using(this::completed)
                .build();
        this.engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "registry-mirror-engine"));
        this.metricsPort = cfg.metricsPort() >= 0 ? metrics.serve(cfg.metricsPort()) : -1;
    }

    /**
     * Checks the server and the topic (throwing {@link MirrorRefusedException} for what the mirror cannot work
     * with), then starts the engine.
     */
    public static RegistryMirror start(RegistryMirrorConfig cfg, Clock clock) {
        EventLog events = new EventLog("registry_mirror");
        try {
            checkServer(cfg);
            MirrorTopics.ensureRegistryTopic(cfg);
        } catch (MirrorRefusedException e) {
            events.error("mirror_refused", null, "reason", e.reason().code(), "error", e.getMessage());
            throw e;
        }
        RegistryMirror m = new RegistryMirror(cfg, clock);
        m.engineThread.execute(m.engine);
        m.events.info("mirror_started", "database", cfg.mysql().toString(), "topic", cfg.topic(), "name", cfg.name(),
                "server_id", cfg.serverId(), "tables", String.join(",", RegistryTables.CAPTURED), "metrics_port", m.metricsPort);
        return m;
    }

    static void checkServer(RegistryMirrorConfig cfg) {
        try (Connection c = DriverManager.getConnection(cfg.mysql().jdbcUrl(), cfg.user(), cfg.password())) {
            ServerSettings.read(c, cfg.mysql().database()).check(cfg.serverId(), cfg.mysql().database());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read MySQL's settings at " + cfg.mysql() + " as " + cfg.user() + ": "
                    + e.getMessage(), e);
        }
    }

    private void completed(boolean success, String message, Throwable error) {
        if (success) {
            finished.complete(null);
            return;
        }
        if (isPurgedBinlog(message, error)) {
            MirrorRefusedException refused = new MirrorRefusedException(Reason.BINLOG_PURGED, "the binlog position this"
                    + " mirror stored (offsets topic " + cfg.offsetsTopic() + ", name " + cfg.name() + ") is no longer on"
                    + " the MySQL server: it was purged while the mirror was stopped, so changes in between cannot be"
                    + " read. The mirror does not re-snapshot by itself; to start over, see the README (binlog purged)."
                    + " Debezium said: " + message, error);
            events.error("mirror_refused", null, "reason", refused.reason().code(), "error", refused.getMessage());
            finished.completeExceptionally(refused);
            return;
        }
        events.error("mirror_failed", error, "error", message);
        finished.completeExceptionally(error != null ? error : new IllegalStateException(message));
    }

    private static boolean isPurgedBinlog(String message, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (mentionsPurge(t.getMessage())) {
                return true;
            }
        }
        return mentionsPurge(message);
    }

    private static boolean mentionsPurge(String text) {
        return text != null && text.contains("is no longer available on the server");
    }

    public CompletableFuture<Void> finished() {
        return finished;
    }

    public int metricsPort() {
        return metricsPort;
    }

    /** Changes published (acknowledged by Kafka) by this process so far. */
    public long eventsPublished() {
        return (long) metrics.eventsPublished();
    }

    /**
     * Debezium's async engine refuses to stop while its tasks are still starting (a stop request right after start):
     * asked again every 100 ms until it accepts, within the shutdown timeout.
     */
    private void closeEngine(java.time.Instant deadline) {
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException starting) {
                if (!clock.instant().isBefore(deadline) || finished.isDone()) {
                    events.warning("mirror_stop_incomplete", "error", String.valueOf(starting));
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException e) {
                events.warning("mirror_stop_incomplete", "error", String.valueOf(e));
                return;
            }
        }
    }

    /** Stops the engine: the batch in flight is acknowledged and its position stored, then everything closes. */
    @Override
    public void close() {
        Duration timeout = cfg.shutdownTimeout();
        if (!finished.isDone()) { // an engine that already stopped (failed) refuses a second close
            closeEngine(clock.instant().plus(timeout));
        }
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                events.warning("mirror_stop_incomplete", "error", "engine still running after " + timeout);
                engineThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        metrics.close();
        events.info("mirror_stopped", "events_published", eventsPublished());
    }
}

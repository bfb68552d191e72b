package io.stardust.streams.backfill;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.CheckpointTenants;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The backfill sub-topology as its own Kafka Streams client, {@code application.id = <streamsApplicationId>-backfill}:
 * its own consumer group and repartition topic, so a slow MySQL chunk never holds up the import topology's
 * exactly-once transactions, and import and backfill partitions rebalance independently. Its chunks run on a small
 * MySQL pool under a lease owned by this process ({@code streams:<instance>:<pid>:<random>}).
 */
public final class BackfillStreams implements AutoCloseable {
    private final KafkaStreams streams;
    private final HikariDataSource pool;
    private final CompletableFuture<Void> failed = new CompletableFuture<>();

    private BackfillStreams(KafkaStreams streams, HikariDataSource pool) {
        this.streams = streams;
        this.pool = pool;
    }

    /** Where the client connects and keeps its state; {@code instance} names this process in logs and leases. */
    public record Kafka(String bootstrap, String applicationId, String registryTopic, String stateDir, String instance) {
    }

    public static BackfillStreams start(Kafka kafka, BackfillConfig cfg, Clock clock, EventLog events) {
        HikariDataSource pool = Pools.open(cfg.database().dsn(), cfg.database().user(), cfg.database().password(),
                2, "streams-backfill");
        String owner = "streams:" + kafka.instance() + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
        EngineChunkRunner runner = new EngineChunkRunner(pool, new UtcClock(clock), cfg.settings().leaseFor(owner),
                cfg.chunkSize());
        CheckpointTenants tenants = new CheckpointTenants(pool);
        KafkaStreams streams = new KafkaStreams(BackfillTopology.build(kafka.registryTopic(),
                new BackfillTopology.Pacing(cfg.partitions(), cfg.interval(), cfg.chunksPerPunctuation(), kafka.instance()),
                tenants::tenantOf, runner, events), properties(kafka));
        BackfillStreams out = new BackfillStreams(streams, pool);
        streams.setUncaughtExceptionHandler(e -> {
            events.error("streams_failed", e, "topology", "backfill", "reason", String.valueOf(e.getMessage()));
            out.failed.completeExceptionally(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        events.info("backfill_started", "instance", kafka.instance(), "lease_owner", owner,
                "application_id", kafka.applicationId() + "-backfill", "partitions", cfg.partitions());
        return out;
    }

    /** Completes exceptionally when the backfill topology died. */
    public CompletableFuture<Void> failed() {
        return failed;
    }

    public void close(Duration timeout) {
        try {
            streams.close(timeout);
        } finally {
            pool.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static Properties properties(Kafka kafka) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.applicationId() + "-backfill");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        // the store of running checkpoints and the repartition offsets move together; MySQL is authoritative anyway
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (!kafka.stateDir().isBlank()) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, kafka.stateDir() + "/backfill");
        }
        return p;
    }
}

package io.stardust.gateway;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.event.EventLog;
import io.stardust.gateway.consumer.BatchSink;
import io.stardust.gateway.consumer.IngestLoop;
import io.stardust.gateway.consumer.LoopSettings;
import io.stardust.gateway.consumer.StoredPositions;
import io.stardust.gateway.health.ConsumerProgress;
import io.stardust.gateway.health.StatusEndpoint;
import io.stardust.gateway.health.StatusSettings;
import io.stardust.gateway.metrics.GatewayMetrics;
import io.stardust.gateway.relay.OutboxRelay;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter;
import io.stardust.ingest.write.BatchWriter.Committed;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One running gateway: the connection pool, the consumer thread ({@link IngestLoop}), its writer thread
 * ({@link BatchWriter}), the outbox relay ({@link OutboxRelay}) and the status endpoint ({@code /metrics},
 * {@code /health}: {@link StatusEndpoint}). {@link #start} returns once every thread runs; {@link #close} drains the
 * batch in flight and stops everything.
 */
public final class Gateway implements AutoCloseable {
    private final GatewayConfig cfg;
    private final HikariDataSource pool;
    private final GatewayMetrics metrics;
    private final Producer<byte[], byte[]> producer;
    private final OutboxRelay relay;
    private final IngestLoop loop;
    private final ExecutorService writerThread;
    private final Thread consumerThread;
    private final Thread relayThread;
    private final ConsumerProgress progress;
    private final StatusEndpoint status;
    private final EventLog events = new EventLog("gateway");

    private Gateway(GatewayConfig cfg, IngestLoop.CommitListener extraListener, HoldPoints holds) {
        this.cfg = cfg;
        this.pool = Pools.open(cfg.engine().dsn(), cfg.engine().user(), cfg.engine().password(), cfg.engine().poolSize(),
                "stardust-gateway");
        // Bootstrap is idempotent; it makes a fresh database usable and adds the gateway's tables to an old one.
        StarDust.create(pool, cfg.engine(), Clock.systemUTC()).bootstrap();
        this.metrics = new GatewayMetrics();
        this.producer = new KafkaProducer<>(producerProperties(cfg));
        this.relay = new OutboxRelay(pool, producer, cfg.eventsTopic(), cfg.relayBatchSize(), cfg.relayIdle(),
                cfg.retryBackoffMax(), metrics, holds, Clock.systemUTC());
        this.writerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "gateway-writer"));
        IngestLoop[] self = new IngestLoop[1];
        this.progress = new ConsumerProgress(Clock.systemUTC(), cfg.healthStallTimeout(),
                () -> self[0] != null && !self[0].finished().isDone());
        BatchWriter writer = new BatchWriter(pool, new RecordPlanner(new ModelResolver(), cfg.maxRecordBytes()),
                new IngestDlqStore(cfg.maxRecordBytes()),
                cfg.groupId(), new UtcClock(Clock.systemUTC()), cfg.retryBackoffMin(), cfg.retryBackoffMax(),
                () -> self[0] != null && self[0].abandoning(), cause -> metrics.retried(), holds,
                cfg.eventsAfterImage());
        this.loop = new IngestLoop(new KafkaConsumer<>(consumerProperties(cfg)),
                new LoopSettings(cfg.topic(), cfg.batchMaxRecords(), cfg.batchMaxBytes(), cfg.batchLinger(), cfg.retryBackoffMin()),
                StoredPositions.mysql(pool, cfg.groupId()), BatchSink.on(writer, writerThread), Clock.systemUTC(),
                (batch, result, latency) -> {
                    onCommit(batch, result, latency);
                    if (extraListener != null) {
                        extraListener.committed(batch, result, latency);
                    }
                }, lag -> {
                    metrics.lag(lag);
                    progress.lagReported(lag);
                });
        self[0] = loop;
        this.consumerThread = new Thread(loop, "gateway-consumer");
        this.relayThread = new Thread(relay, "gateway-relay");
        this.status = cfg.metricsPort() < 0 ? null : StatusEndpoint.start(new StatusSettings(cfg.metricsBindAddress(),
                cfg.metricsPort(), cfg.kafkaBootstrap(), cfg.healthProbeInterval(), cfg.healthProbeTimeout()), metrics,
                pool, progress, Clock.systemUTC());
    }

    public static Gateway start(GatewayConfig cfg) {
        return start(cfg, null, HoldPoints.NONE);
    }

    /**
     * Starts with an extra observer of committed batches (tests and the benchmark measure latency with it) and
     * the crash-test hold points.
     */
    public static Gateway start(GatewayConfig cfg, IngestLoop.CommitListener listener, HoldPoints holds) {
        Gateway g = new Gateway(cfg, listener, holds);
        g.consumerThread.start();
        if (cfg.relayEnabled()) {
            g.relayThread.start();
        }
        g.events.info("gateway_started", "topic", cfg.topic(), "group_id", cfg.groupId(), "events_topic", cfg.eventsTopic(),
                "metrics_port", g.metricsPort());
        return g;
    }

    /** The status endpoint's port, or -1 when it is off. */
    public int metricsPort() {
        return status == null ? -1 : status.address().getPort();
    }

    /** The status endpoint's bound address, or null when it is off. */
    public InetSocketAddress metricsAddress() {
        return status == null ? null : status.address();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Completes when the consumer loop ends (normally only after {@link #close}). */
    public java.util.concurrent.CompletableFuture<Void> finished() {
        return loop.finished();
    }

    private void onCommit(Batch batch, Committed result, Duration latency) {
        progress.committed();
        metrics.batchCommitted(batch.records().size(), latency, result.written(), result.rejected().size());
        for (Rejected r : result.rejected()) {
            metrics.quarantined(r.reason().code());
            events.warning("record_quarantined", "reason", r.reason().code(), "topic", r.source().topic(),
                    "partition", r.source().partition(), "offset", r.source().offset(), "tenant_id", r.tenantId(),
                    "error", r.message());
            if (cfg.hasDlqTopic()) {
                copyToDlqTopic(r);
            }
        }
        events.info("batch_committed", "records", batch.records().size(), "created", result.created(),
                "updated", result.updated(), "deleted", result.deleted(), "quarantined", result.rejected().size(),
                "latency_ms", latency.toMillis());
        relay.wake();
    }

    /**
     * Best effort, after the commit: the MySQL DLQ table is the record of truth; the topic copy may be missing
     * after a crash between the commit and the send.
     */
    private void copyToDlqTopic(Rejected r) {
        SourceRecord s = r.source();
        RecordHeaders h = new RecordHeaders();
        h.add("__connect.errors.topic", utf8(s.topic()));
        h.add("__connect.errors.partition", utf8(Integer.toString(s.partition())));
        h.add("__connect.errors.offset", utf8(Long.toString(s.offset())));
        h.add("__connect.errors.connector.name", utf8("stardust-ingest-gateway"));
        h.add("__connect.errors.stage", utf8("VALUE_CONVERTER"));
        h.add("__connect.errors.exception.class.name", utf8("io.stardust.gateway." + r.reason().code()));
        h.add("__connect.errors.exception.message", utf8(String.valueOf(r.message())));
        h.add("stardust.dlq.reason", utf8(r.reason().code()));
        producer.send(new ProducerRecord<>(cfg.dlqTopic(), null, s.key(), s.value(), h), (md, e) -> {
            if (e != null) {
                events.warning("dlq_topic_send_failed", "offset", s.offset(), "error", e.getMessage());
            }
        });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Drains: the batch in flight commits (within the shutdown timeout), then every thread stops. */
    @Override
    public void close() {
        loop.stop(cfg.shutdownTimeout());
        try {
            // bounded so that the whole close fits in the process runtime's grace after the shutdown timeout
            loop.finished().get(cfg.shutdownTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            events.warning("gateway_stop_incomplete", "error", String.valueOf(e));
        }
        relay.close();
        try {
            relayThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writerThread.shutdownNow();
        producer.close(Duration.ofSeconds(1));
        if (status != null) {
            status.close();
        }
        metrics.close();
        pool.close();
        events.info("gateway_stopped");
    }

    static Properties consumerProperties(GatewayConfig cfg) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.groupId());
        if (cfg.instanceId() != null && !cfg.instanceId().isBlank()) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, cfg.instanceId());
        }
        // Positions are stored in MySQL with the data; Kafka's committed offsets are never used.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records of aborted producer transactions are never ingested.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Memory stays bounded whatever the backlog: one poll returns at most a batch's worth of records, and the
        // consumer holds at most one fetch response per broker of at most a batch's bytes (a single record larger
        // than that still comes through, alone) instead of the default 50 MiB.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(cfg.batchMaxRecords(), 2000)));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Math.max(cfg.batchMaxBytes(), 1 << 20)));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(cfg.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(500, cfg.sessionTimeout().toMillis() / 5)));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(cfg.maxPollInterval().toMillis()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "stardust-gateway-" + ProcessHandle.current().pid());
        return p;
    }

    static Properties producerProperties(GatewayConfig cfg) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
        // Idempotent: broker-side retries never duplicate or reorder events within a partition.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "stardust-gateway-relay-" + ProcessHandle.current().pid());
        return p;
    }

    List<String> topics() {
        return List.of(cfg.topic(), cfg.eventsTopic());
    }
}

package io.stardust.connect;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.connect.config.SinkConfig;
import io.stardust.connect.convert.EnvelopeMapper;
import io.stardust.connect.metrics.SinkMetrics;
import io.stardust.connect.offsets.ConnectorGroup;
import io.stardust.connect.offsets.Positions;
import io.stardust.engine.crash.HoldPoints;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.UtcClock;
import io.stardust.ingest.dlq.IngestDlqStore;
import io.stardust.ingest.plan.ModelResolver;
import io.stardust.ingest.plan.RecordPlanner;
import io.stardust.ingest.plan.RecordPlanner.Rejected;
import io.stardust.ingest.positions.OffsetStore;
import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thin task over the ingest core's {@link BatchWriter}: each {@code put()} is one writer call (entries, DLQ rows
 * and the partitions' next offsets in ONE MySQL transaction), so positions live in MySQL only:
 * {@code open()} seeks the consumer to them, {@code preCommit()} gives Kafka nothing to commit.
 *
 * <ul>
 *   <li>Record errors (not JSON, unknown model, …) are quarantined by the writer in {@code stardust_ingest_dlq} in
 *       the batch's transaction, whatever {@code errors.tolerance} says; with {@code errors.tolerance=all} they are
 *       also handed to Connect's {@link ErrantRecordReporter} (the worker's DLQ topic and error log), best effort
 *       after the commit.</li>
 *   <li>MySQL unavailable: nothing is quarantined; the task throws {@link RetriableException} after setting
 *       {@code context.timeout} (exponential backoff), and Connect hands the same records again.</li>
 *   <li>Whenever the task is not sure of a partition's stored position (just assigned and MySQL was down, a
 *       batch that may have committed in part, another owner's positions), it re-reads them, seeks the consumer
 *       there and writes nothing in that call: the records come again from the stored positions.</li>
 * </ul>
 */
public final class StarDustSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(StarDustSinkTask.class);
    private static final long REPORT_WAIT_MS = 30_000;

    private final Positions positions = new Positions();
    private final List<Future<Void>> reports = new ArrayList<>();
    private final Clock clock;
    private HikariDataSource pool;
    private BatchWriter writer;
    private EnvelopeMapper mapper;
    private String group;
    private ErrantRecordReporter reporter;
    private SinkMetrics metrics = SinkMetrics.NONE;
    private Duration backoffMin;
    private Duration backoffMax;
    private Duration backoff;
    private Throwable lastFailure;

    public StarDustSinkTask() {
        this(Clock.systemUTC());
    }

    StarDustSinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        SinkConfig cfg = new SinkConfig(props);
        StarDustConfig engine = cfg.engine();
        group = ConnectorGroup.of(props);
        mapper = new EnvelopeMapper(cfg.mapping());
        backoffMin = cfg.backoffMin();
        backoffMax = cfg.backoffMax();
        backoff = backoffMin;
        pool = Pools.open(engine.dsn(), engine.user(), engine.password(), engine.poolSize(), "stardust-connect-" + group);
        try {
            // Idempotent: a fresh database gets the schema, an older one the ingest tables.
            StarDust.create(pool, engine, clock).bootstrap();
        } catch (RuntimeException e) {
            pool.close();
            throw new ConnectException("cannot prepare the StarDust schema in " + engine.dsn() + ": " + e.getMessage(), e);
        }
        writer = new BatchWriter(pool, new RecordPlanner(new ModelResolver(), cfg.maxRecordBytes()),
                new IngestDlqStore(cfg.maxRecordBytes()), group, new UtcClock(clock), backoffMin, backoffMax,
                // Never wait inside put(): Connect owns the backoff (context.timeout) and keeps the consumer alive.
                () -> true, cause -> lastFailure = cause, HoldPoints.NONE, cfg.eventsAfterImage());
        reporter = "all".equalsIgnoreCase(String.valueOf(props.get("errors.tolerance")).trim()) ? errantRecordReporter() : null;
        metrics = pluginMetrics();
        LOG.info("StarDust sink task started: group {}, mapping {}, DLQ topic reporter {}", group, cfg.mapping(),
                reporter == null ? "off" : "on");
    }

    /** Null on workers before Kafka 2.6 (no such method) and when the worker has no error reporter. */
    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (IncompatibleClassChangeError | NoClassDefFoundError e) { // NoSuchMethodError, AbstractMethodError
            return null;
        }
    }

    /** No metrics on workers before Kafka 4.1, which have no {@code pluginMetrics()}. */
    private SinkMetrics pluginMetrics() {
        try {
            return new SinkMetrics(context.pluginMetrics());
        } catch (IncompatibleClassChangeError | NoClassDefFoundError | UnsupportedOperationException e) {
            return SinkMetrics.NONE;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        positions.assigned(partitions);
        try {
            context.offset(resolve(partitions));
        } catch (RetriableException e) {
            // Resolved on the first put() of these partitions, which then seeks and writes nothing.
            LOG.warn("cannot read the stored positions of {} yet: {}", partitions, e.getMessage());
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        positions.revoked(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (SinkRecord r : records) {
            partitions.add(new TopicPartition(r.originalTopic(), r.originalKafkaPartition()));
        }
        Set<TopicPartition> unknown = positions.unresolvedAmong(partitions);
        if (!unknown.isEmpty()) {
            resolve(unknown);
            context.offset(positions.seekTargets(partitions));
            return;
        }
        List<SourceRecord> batch = new ArrayList<>(records.size());
        Map<SourceRecord, SinkRecord> origin = new IdentityHashMap<>();
        for (SinkRecord r : records) {
            if (positions.isPending(new TopicPartition(r.originalTopic(), r.originalKafkaPartition()), r.originalKafkaOffset())) {
                SourceRecord s = mapper.toSource(r);
                batch.add(s);
                origin.put(s, r);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        Batch b = new Batch(batch, Map.of());
        b = new Batch(batch, positions.expected(b.partitions()));
        long started = clock.millis();
        BatchWriter.Result result = writer.write(b);
        if (result instanceof BatchWriter.Committed c) {
            positions.committed(c.next());
            backoff = backoffMin;
            metrics.committed(c.written(), clock.millis() - started);
            for (Rejected rejected : c.rejected()) {
                quarantined(rejected, origin.get(rejected.source()));
            }
        } else if (result instanceof BatchWriter.Fenced f) {
            LOG.warn("positions of {} moved under this task (another owner or an offsets reset): re-reading them", f.partitions());
            positions.invalidate(partitions);
            context.offset(positions.seekTargets(partitions)); // dropped records come again once resolved
        } else {
            // MySQL unavailable: nothing quarantined. Halves of an isolated batch may have committed, so the
            // positions are re-read before anything else is written.
            positions.invalidate(partitions);
            metrics.retried();
            long wait = backoff.toMillis();
            backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
            context.timeout(wait);
            throw new RetriableException("MySQL is unavailable, " + batch.size() + " records are retried in " + wait + " ms: "
                    + lastFailure, lastFailure);
        }
    }

    private void quarantined(Rejected r, SinkRecord original) {
        metrics.quarantined(r.reason().code());
        LOG.warn("record {}-{}@{} quarantined in stardust_ingest_dlq: {}: {}", r.source().topic(), r.source().partition(),
                r.source().offset(), r.reason().code(), r.message());
        if (reporter != null && original != null) {
            reports.add(reporter.report(original, new DataException("stardust " + r.reason().code() + ": " + r.message())));
        }
    }

    /** Reads the stored positions of {@code partitions}; returns where to seek. Retriable while MySQL is down. */
    private Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions) {
        List<SourcePartition> sps = partitions.stream().map(tp -> new SourcePartition(tp.topic(), tp.partition())).toList();
        try (Connection c = pool.getConnection()) {
            return positions.resolved(partitions, OffsetStore.load(c, group, sps, false));
        } catch (SQLException | RuntimeException e) {
            context.timeout(backoff.toMillis());
            throw new RetriableException("cannot read the stored positions of " + partitions + " from MySQL: " + e.getMessage(), e);
        }
    }

    /** Positions are in MySQL already; Kafka commits nothing. Waits for the DLQ-topic copies sent so far. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        for (Future<Void> f : reports) {
            try {
                f.get(REPORT_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // The MySQL DLQ table is the record of truth; the topic copy is best effort.
                LOG.warn("a quarantined record did not reach the worker's DLQ topic: {}", e.toString());
            }
        }
        reports.clear();
        return Map.of();
    }

    @Override
    public void stop() {
        if (pool != null) {
            pool.close();
        }
    }
}

package io.stardust.streams.backfill;

import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.event.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Drives the running checkpoints of the tenants on this task's partition. Checkpoint states arrive keyed by tenant
 * and are kept in a changelogged store (checkpoint id to state), so a task that moves to another instance brings
 * its tenants' running checkpoints along. A wall-clock punctuator runs at most {@code chunksPerPunctuation} chunks
 * per call, one per checkpoint in turn, so the stream thread keeps polling between calls; each chunk is one MySQL
 * transaction that moves the checkpoint under this instance's lease, so MySQL stays authoritative and a chunk is
 * never run twice even if the task's previous owner still lives. Closing the task (rebalance, shutdown) releases
 * the leases it holds, so the tenants' new owner resumes at once instead of after the lease expires.
 */
final class TenantBackfillDriver implements Processor<String, String, Void, Void> {
    private final String storeName;
    private final ChunkRunner runner;
    private final Duration interval;
    private final int chunksPerPunctuation;
    private final String instance;
    private final EventLog events;
    private final Set<Long> leased = new HashSet<>();
    private KeyValueStore<String, String> store;
    private String lastServed = "";

    TenantBackfillDriver(String storeName, ChunkRunner runner, Duration interval, int chunksPerPunctuation,
                         String instance, EventLog events) {
        this.storeName = storeName;
        this.runner = runner;
        this.interval = interval;
        this.chunksPerPunctuation = chunksPerPunctuation;
        this.instance = instance;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> runChunks());
    }

    @Override
    public void process(Record<String, String> record) {
        CheckpointState state = CheckpointState.decode(record.value());
        String key = storeKey(state.checkpointId());
        if (state.running()) {
            store.put(key, state.encode());
        } else {
            store.delete(key);
            leased.remove(state.checkpointId());
        }
    }

    /** One pass over the running checkpoints, starting after the one served last, within the chunk budget. */
    void runChunks() {
        List<CheckpointState> due = new ArrayList<>();
        List<CheckpointState> before = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                (kv.key.compareTo(lastServed) > 0 ? due : before).add(CheckpointState.decode(kv.value));
            }
        }
        due.addAll(before);
        int budget = Math.min(chunksPerPunctuation, due.size());
        for (int i = 0; i < budget; i++) {
            CheckpointState cp = due.get(i);
            lastServed = storeKey(cp.checkpointId());
            runOne(cp);
        }
    }

    private void runOne(CheckpointState cp) {
        ChunkOutcome out;
        try {
            out = runner.runChunk(cp);
        } catch (Exception e) {
            // nothing committed; the next punctuation is the retry (a lost database is waited out the same way)
            events.warning("backfill_chunk_error", "instance", instance, "tenant_id", cp.tenantId(),
                    "checkpoint_id", cp.checkpointId(), "job_name", cp.jobName(), "error_kind",
                    DbErrorKind.of(e).name().toLowerCase(Locale.ROOT), "reason", String.valueOf(e.getMessage()));
            return;
        }
        switch (out.kind()) {
            case PROGRESSED, COMPLETED -> {
                leased.add(cp.checkpointId());
                events.info("backfill_chunk", "instance", instance, "tenant_id", cp.tenantId(),
                        "checkpoint_id", cp.checkpointId(), "job_name", cp.jobName(), "rows_processed", out.rowsProcessed(),
                        "final_chunk", out.finished());
            }
            case CAPACITY_WAIT -> events.info("backfill_capacity_wait", "instance", instance, "tenant_id", cp.tenantId(),
                    "checkpoint_id", cp.checkpointId(), "job_name", cp.jobName());
            case FAILED -> events.warning("backfill_failed", "instance", instance, "tenant_id", cp.tenantId(),
                    "checkpoint_id", cp.checkpointId(), "job_name", cp.jobName(), "failed_reason", out.reason());
            case NOT_CLAIMED -> {
                // another driver's lease, or already finished: its registry change removes it from the store
            }
        }
        if (out.finished()) {
            if (out.kind() == ChunkOutcome.Kind.COMPLETED) {
                events.info("backfill_completed", "instance", instance, "tenant_id", cp.tenantId(),
                        "checkpoint_id", cp.checkpointId(), "job_name", cp.jobName());
            }
            store.delete(storeKey(cp.checkpointId()));
            leased.remove(cp.checkpointId());
        }
    }

    @Override
    public void close() {
        for (long id : leased) {
            try {
                runner.release(id);
            } catch (Exception e) {
                // the lease then simply expires; the next owner waits backfillLease at most
                events.warning("backfill_chunk_error", "instance", instance, "checkpoint_id", id,
                        "error_kind", DbErrorKind.of(e).name().toLowerCase(Locale.ROOT),
                        "reason", "lease not released: " + e.getMessage());
            }
        }
        leased.clear();
    }

    /** Zero-padded, so the store's key order is the checkpoint id order. */
    private static String storeKey(long checkpointId) {
        return String.format("%019d", checkpointId);
    }
}

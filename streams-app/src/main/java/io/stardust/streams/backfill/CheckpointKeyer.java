package io.stardust.streams.backfill;

import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.CheckpointTenants;
import io.stardust.registry.events.MalformedRegistryChangeException;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows {@code backfill_checkpoints} on the registry topic and forwards each lifecycle checkpoint's state keyed
 * by its tenant (the repartition after this puts every checkpoint of a tenant on that tenant's partition). Rows of
 * other tables and other jobs are dropped. Checkpoint rows carry no tenant: it is looked up in MySQL once, at the
 * checkpoint's first change, and remembered in a store until the checkpoint ends, because by then its field or
 * model may be gone (a purge's last chunk deletes them). A checkpoint first seen after its field or model is gone
 * cannot run and is skipped with {@code backfill_checkpoint_skipped}.
 */
final class CheckpointKeyer implements Processor<byte[], byte[], String, String> {
    private final String storeName;
    private final TenantLookup tenants;
    private final EventLog events;
    private ProcessorContext<String, String> context;
    private KeyValueStore<Long, Long> tenantOfCheckpoint;

    CheckpointKeyer(String storeName, TenantLookup tenants, EventLog events) {
        this.storeName = storeName;
        this.tenants = tenants;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.tenantOfCheckpoint = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // compaction tombstone after a delete; the delete itself was forwarded
        }
        RegistryChange change;
        try {
            change = RegistryChangeCodec.decode(record.value());
        } catch (MalformedRegistryChangeException e) {
            return; // the import topology's indexer reports malformed registry records once
        }
        if (!"backfill_checkpoints".equals(change.table())) {
            return;
        }
        String job = change.row().path("job_name").asText("");
        if (!CheckpointTenants.isLifecycleJob(job)) {
            return;
        }
        long id = change.row().path("id").asLong();
        boolean running = change.after() != null && "running".equals(change.after().path("status").asText());
        Long known = tenantOfCheckpoint.get(id);
        OptionalLong tenant = known != null ? OptionalLong.of(known) : running ? lookUp(job, id) : OptionalLong.empty();
        if (tenant.isEmpty()) {
            return;
        }
        if (running) {
            tenantOfCheckpoint.put(id, tenant.getAsLong());
        } else {
            tenantOfCheckpoint.delete(id);
        }
        CheckpointState state = new CheckpointState(id, job, tenant.getAsLong(), running);
        context.forward(record.withKey(Long.toString(state.tenantId())).withValue(state.encode()));
    }

    private OptionalLong lookUp(String job, long id) {
        try {
            OptionalLong tenant = tenants.tenantOf(job);
            if (tenant.isEmpty()) {
                // its field or model is gone, so no chunk can run (a purge's last chunk deletes the row anyway)
                events.warning("backfill_checkpoint_skipped", "checkpoint_id", id, "job_name", job,
                        "reason", "field or model no longer exists");
            }
            return tenant;
        } catch (Exception e) {
            // MySQL is unreachable: fail the task, Kafka Streams replays this record after the restart
            throw new IllegalStateException("cannot find the tenant of checkpoint " + id + " (" + job + "): "
                    + e.getMessage(), e);
        }
    }
}

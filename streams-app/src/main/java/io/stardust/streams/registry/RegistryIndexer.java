package io.stardust.streams.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.lifecycle.PurgeJobs;
import io.stardust.registry.events.MalformedRegistryChangeException;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the registry index store in step with {@code stardust.registry}: models by id and by (tenant, name), the
 * fields of each model, and which models are being deleted. Kafka Streams runs it for every record of the topic,
 * also when it rebuilds the store on start, so the index always reflects the whole topic. Rows of other tables
 * (pages, slots, the version) are not needed to validate a line and are ignored.
 */
public final class RegistryIndexer implements Processor<byte[], byte[], Void, Void> {
    private final String storeName;
    private final EventLog events;
    private KeyValueStore<String, String> store;

    public RegistryIndexer(String storeName, EventLog events) {
        this.storeName = storeName;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // the tombstone after a delete; the delete itself was applied
        }
        RegistryChange change;
        try {
            change = RegistryChangeCodec.decode(record.value());
        } catch (MalformedRegistryChangeException e) {
            events.warning("registry_change_skipped", "reason", e.getMessage());
            return;
        }
        switch (change.table()) {
            case "stardust_models" -> model(change);
            case "stardust_fields" -> field(change);
            case "backfill_checkpoints" -> checkpoint(change);
            default -> {
            }
        }
    }

    private void model(RegistryChange c) {
        if (c.before() != null) {
            JsonNode b = c.before();
            store.delete(RegistryKeys.name(b.path("tenant_id").asLong(), b.path("name").asText()));
        }
        long id = c.row().path("id").asLong();
        if (c.after() == null) {
            store.delete(RegistryKeys.model(id));
            return;
        }
        long tenant = c.after().path("tenant_id").asLong();
        String name = c.after().path("name").asText();
        store.put(RegistryKeys.model(id), tenant + "/" + name);
        store.put(RegistryKeys.name(tenant, name), Long.toString(id));
    }

    private void field(RegistryChange c) {
        JsonNode row = c.row();
        String key = RegistryKeys.field(row.path("model_id").asLong(), row.path("id").asLong());
        if (c.after() == null) {
            store.delete(key);
            return;
        }
        if (c.before() != null && c.before().path("model_id").asLong() != c.after().path("model_id").asLong()) {
            store.delete(RegistryKeys.field(c.before().path("model_id").asLong(), row.path("id").asLong()));
        }
        store.put(key, FieldInfo.of(c.after()).encode());
    }

    private void checkpoint(RegistryChange c) {
        long id = c.row().path("id").asLong();
        String job = c.row().path("job_name").asText("");
        if (!job.startsWith(PurgeJobs.MODEL_PREFIX)) {
            return;
        }
        String deleting = RegistryKeys.deleting(Long.parseLong(job.substring(PurgeJobs.MODEL_PREFIX.length())));
        if (c.after() != null && "running".equals(c.after().path("status").asText())) {
            store.put(deleting, job);
            store.put(RegistryKeys.checkpoint(id), job);
        } else {
            store.delete(deleting);
            store.delete(RegistryKeys.checkpoint(id));
        }
    }
}

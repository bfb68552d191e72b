package io.stardust.streams.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Read side of the registry index: what the line validator asks. Every answer is a store lookup or prefix scan. */
public final class RegistryView {
    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, String> store;

    public RegistryView(ReadOnlyKeyValueStore<String, String> store) {
        this.store = store;
    }

    /** A model of the tenant, by name under the registry's case- and accent-insensitive rule. */
    public Optional<Long> modelByName(long tenantId, String name) {
        String id = store.get(RegistryKeys.name(tenantId, name));
        return id == null ? Optional.empty() : Optional.of(Long.parseLong(id));
    }

    /** A model by id, if it exists and belongs to the tenant. */
    public Optional<Long> modelById(long tenantId, long modelId) {
        String row = store.get(RegistryKeys.model(modelId));
        return row != null && row.startsWith(tenantId + "/") ? Optional.of(modelId) : Optional.empty();
    }

    public boolean tenantHasModels(long tenantId) {
        try (KeyValueIterator<String, String> it = store.prefixScan(RegistryKeys.tenantNames(tenantId), KEYS)) {
            return it.hasNext();
        }
    }

    public boolean beingDeleted(long modelId) {
        return store.get(RegistryKeys.deleting(modelId)) != null;
    }

    public List<FieldInfo> fields(long modelId) {
        List<FieldInfo> out = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.prefixScan(RegistryKeys.fields(modelId), KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                out.add(FieldInfo.decode(kv.value));
            }
        }
        return out;
    }
}

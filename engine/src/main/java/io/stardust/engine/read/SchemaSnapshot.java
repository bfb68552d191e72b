package io.stardust.engine.read;

import io.stardust.DeclaredType;
import io.stardust.SlotStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry as one model's reads see it, captured at one schema version. */
public record SchemaSnapshot(int modelId, long tenantId, String modelName, long version, Instant capturedAt,
                             List<FieldDescriptor> fields, boolean modelDeleted) {

    /**
     * One field: its slot (if any live or tombstoned one references it) and where that slot lives;
     * {@code previousName} is its name before a rename whose payload rewrite is still running (reads fall back to it);
     * {@code pageLayout} is the layout version of the slot's page (1 when there is no slot).
     */
    public record FieldDescriptor(long fieldId, String name, DeclaredType type, boolean filterable, String slotColumn,
                                  SlotStatus slotStatus, Integer pageId, String table, String previousName, int pageLayout) {
        /** A field whose slot (if any) is on a page of upstream's layout. */
        public FieldDescriptor(long fieldId, String name, DeclaredType type, boolean filterable, String slotColumn,
                               SlotStatus slotStatus, Integer pageId, String table, String previousName) {
            this(fieldId, name, type, filterable, slotColumn, slotStatus, pageId, table, previousName, 1);
        }

        /** Filters may use it and reads take its value from the slot. */
        public boolean indexedNow() {
            return filterable && slotColumn != null && slotStatus != null && slotStatus.isQueryable();
        }
    }

    public SchemaSnapshot {
        fields = List.copyOf(fields);
    }

    public FieldDescriptor field(String name) {
        for (FieldDescriptor f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    public Map<String, FieldDescriptor> byName() {
        Map<String, FieldDescriptor> out = new LinkedHashMap<>();
        fields.forEach(f -> out.put(f.name(), f));
        return out;
    }
}

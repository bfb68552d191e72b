package io.stardust.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryWriteResult.SlotWrite;
import io.stardust.engine.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entry after routing and coercion, before any SQL: the payload to store, the slot values per page table, and
 * the filterable fields that have no live slot yet.
 */
public final class PlannedEntry {
    private final long tenantId;
    private final int modelId;
    private final ObjectNode fields;
    private final Map<String, PageWrite> pages = new LinkedHashMap<>();
    private final List<String> missingSlotFields = new ArrayList<>();
    private String entryKey;
    private String json;

    /** The slot columns to set on one page table, in plan order. */
    public record PageWrite(int pageId, String table, Map<String, Object> columns) {
    }

    PlannedEntry(long tenantId, int modelId, ObjectNode fields) {
        this.tenantId = tenantId;
        this.modelId = modelId;
        this.fields = fields;
    }

    void put(int pageId, String table, String column, Object value) {
        pages.computeIfAbsent(table, t -> new PageWrite(pageId, t, new LinkedHashMap<>())).columns().put(column, value);
    }

    void missing(String fieldName) {
        missingSlotFields.add(fieldName);
    }

    /** Tags the entry with its external key, so the outbox event of its insert carries it. */
    PlannedEntry withKey(String key) {
        this.entryKey = key;
        return this;
    }

    /** The external key, or null for an entry written without one. */
    public String entryKey() {
        return entryKey;
    }

    public long tenantId() {
        return tenantId;
    }

    public int modelId() {
        return modelId;
    }

    public ObjectNode fields() {
        return fields;
    }

    /**
     * The payload as stored in {@code entry_data.fields}, serialised once: a caller that plans ahead (the ingest
     * pipeline plans the next batch while the previous one is written) calls it then, off the writing thread.
     */
    public String json() {
        String j = json;
        if (j == null) {
            j = Json.write(fields);
            json = j;
        }
        return j;
    }

    public Iterable<PageWrite> pages() {
        return pages.values();
    }

    public List<String> missingSlotFields() {
        return missingSlotFields;
    }

    public boolean needsBackfill() {
        return !missingSlotFields.isEmpty();
    }

    public List<SlotWrite> slotWrites() {
        List<SlotWrite> out = new ArrayList<>();
        for (PageWrite p : pages.values()) {
            for (String col : p.columns().keySet()) {
                out.add(new SlotWrite(p.pageId(), col));
            }
        }
        return out;
    }
}

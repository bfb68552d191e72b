package io.stardust.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.engine.json.Json;
import io.stardust.engine.read.DateTimes;

/** The JSON shapes of entries, shared by the HTTP API and the CLI so both print the same document. */
public final class EntryJson {
    private EntryJson() {
    }

    /** A whole entry: {@code {"id","tenantId","modelId","createdAt","fields"}}. */
    public static ObjectNode entry(Entry e) {
        ObjectNode o = Json.object();
        o.put("id", e.id());
        o.put("tenantId", e.tenantId());
        o.put("modelId", e.modelId());
        o.put("createdAt", DateTimes.format(e.createdAt()));
        o.set("fields", e.fields());
        return o;
    }

    /** A row of a read or search: {@code {"id","fields"}}. */
    public static ObjectNode row(Entry e) {
        ObjectNode o = Json.object();
        o.put("id", e.id());
        o.set("fields", e.fields());
        return o;
    }

    /** One page: {@code {"rows":[row...],"nextCursor":...}} (null cursor on the last page). */
    public static ObjectNode page(EntryPage page) {
        ObjectNode result = Json.object();
        ArrayNode rows = result.putArray("rows");
        page.rows().forEach(r -> rows.add(row(r)));
        result.put("nextCursor", page.nextCursor());
        return result;
    }
}

package io.stardust.http.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;

/** The JSON shape of a file import, shared by {@code import:status --json} and the HTTP API. */
public final class ImportJson {
    private ImportJson() {
    }

    public static ObjectNode view(FileImports.View v) {
        ObjectNode o = Json.object();
        o.put("importId", v.importId());
        o.put("file", v.file());
        o.put("state", v.state());
        o.put("linesRead", v.linesRead());
        o.put("accepted", v.accepted());
        o.put("rejected", v.rejected());
        o.put("landed", v.landed());
        o.put("deadLettered", v.deadLettered());
        ArrayNode dlq = o.putArray("deadLetteredLines");
        if (v.counts() != null) {
            v.counts().deadLetteredAt().forEach(dlq::add);
        }
        if (v.counts() == null || v.counts().lines() == null) {
            o.putNull("lines");
        } else {
            o.put("lines", v.counts().lines());
        }
        o.put("linesPerSecond", Math.round(v.rate()));
        long eta = v.etaSeconds();
        if (eta < 0) {
            o.putNull("etaSeconds");
        } else {
            o.put("etaSeconds", eta);
        }
        o.put("failedReason", v.progress() == null ? null : v.progress().reason());
        return o;
    }
}

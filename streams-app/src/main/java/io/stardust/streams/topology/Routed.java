package io.stardust.streams.topology;

import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.RejectedLine;

/**
 * A line after validation, or a file's end marker, on its way to the sinks: the accepted envelope or the rejection,
 * and in every case its contribution to the import's counters.
 */
record Routed(String importId, ImportCounts counts, LineOutcome.Accepted accepted, RejectedLine rejected) {

    static Routed accepted(String importId, String file, LineOutcome.Accepted a) {
        return new Routed(importId, ImportCounts.acceptedLine(importId, file, a.tenantId()), a, null);
    }

    static Routed rejected(RejectedLine r) {
        return new Routed(r.importId(), new ImportCounts(r.importId(), r.file(), null, 0, 1), null, r);
    }

    static Routed end(String importId, String file, long lines) {
        return new Routed(importId, new ImportCounts(importId, file, lines, 0, 0), null, null);
    }
}

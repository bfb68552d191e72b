package io.stardust.chronicler;

import io.stardust.EntryPage;
import io.stardust.EntryQuery;
import io.stardust.SearchRequest;
import io.stardust.StarDust;
import io.stardust.engine.read.Cursors;
import io.stardust.filter.FilterNode;
import java.util.List;

/** Where a job's rows come from: search pages, so an export is exactly what a search with its filter returns. */
@FunctionalInterface
public interface PageSource {

    /** The entries after {@code cursor} (an entry id; 0: from the start), at most {@code size}, in id order. */
    EntryPage page(long tenantId, int modelId, FilterNode filter, List<String> select, long cursor, int size,
                   String correlationId);

    /** The engine's search (pre-flight, the active search driver, its cursor). */
    static PageSource search(StarDust engine) {
        return (tenantId, modelId, filter, select, cursor, size, correlationId) -> {
            EntryQuery q = new EntryQuery(tenantId, modelId, filter, select, size, null);
            // the job stores the last entry id; the cursor is the one a search of this very query would issue
            return engine.search(new SearchRequest(cursor == 0 ? q : q.withCursor(Cursors.encode(cursor, q)), correlationId));
        };
    }
}

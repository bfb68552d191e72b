package io.stardust;

import java.util.List;

/** One page of a read or search; {@code nextCursor} is null on the last page. */
public record EntryPage(List<Entry> rows, String nextCursor, int pageSize) {
    public EntryPage {
        rows = List.copyOf(rows);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}

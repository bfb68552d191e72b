package io.stardust;

import java.util.List;

/**
 * What a write, update or import did.
 *
 * @param enqueuedForBackfill a filterable field had no live slot; the entry waits in the sync queue
 * @param slotsWritten        every slot column upserted
 */
public record EntryWriteResult(long entryId, boolean enqueuedForBackfill, List<SlotWrite> slotsWritten) {
    public EntryWriteResult {
        slotsWritten = List.copyOf(slotsWritten);
    }

    public record SlotWrite(int pageId, String slotColumn) {
    }
}

package io.stardust.liberator;

import java.util.List;

/**
 * One chunk of a sweep: the page rows after {@code cursor} to null, and whether they are the last ones (fewer rows
 * than the chunk size), in which case the same transaction frees the slot.
 *
 * @param newCursor the cursor committed with the chunk: its last entry id, or {@code cursor} when it is empty
 */
public record SweepChunk(TombstonedSlot slot, long cursor, List<Long> entryIds, boolean last, long newCursor) {

    public SweepChunk {
        entryIds = List.copyOf(entryIds);
    }

    static SweepChunk of(TombstonedSlot slot, long cursor, List<Long> ids, int chunkSize) {
        return new SweepChunk(slot, cursor, ids, ids.size() < chunkSize, ids.isEmpty() ? cursor : ids.get(ids.size() - 1));
    }
}

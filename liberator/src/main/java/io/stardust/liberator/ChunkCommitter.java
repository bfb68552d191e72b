package io.stardust.liberator;

import java.sql.SQLException;

/**
 * Commits one sweep chunk as one transaction (nulls the values, advances the cursor, frees the slot after the last
 * chunk). {@link SweepStore#commitChunk} is the implementation; the interface exists so a test can put a deadlock
 * in front of it, as upstream's deadlock tests do.
 */
@FunctionalInterface
public interface ChunkCommitter {

    /**
     * What a chunk transaction did.
     *
     * @param committed     false when the slot was no longer tombstoned (an operator resurrected it): nothing was
     *                      changed and the sweep of this slot stops, so no value of a live slot is ever nulled
     * @param rowsNullified values actually cleared (rows of the chunk that were already NULL do not count)
     */
    record Result(boolean committed, int rowsNullified) {
        public static Result committed(int rowsNullified) {
            return new Result(true, rowsNullified);
        }

        public static Result slotNotTombstoned() {
            return new Result(false, 0);
        }
    }

    /**
     * @throws SQLException the transaction's failure, after rollback; a deadlock (1213 / SQLState 40001) is
     *                      retried by {@link SlotSweeper}, anything else ends the tick
     */
    Result commit(SweepChunk chunk) throws SQLException;
}

package io.stardust;

import java.util.Locale;

/** Lifecycle of one slot column: free → assigned/backfilling → ready → tombstoned → free. */
public enum SlotStatus {
    FREE, ASSIGNED, BACKFILLING, READY, TOMBSTONED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SlotStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Writes materialise into every live state. */
    public boolean isLive() {
        return this == ASSIGNED || this == BACKFILLING || this == READY;
    }

    /** Reads and filters use only these states. */
    public boolean isQueryable() {
        return this == ASSIGNED || this == READY;
    }

    @Override
    public String toString() {
        return wireName();
    }
}

package io.stardust.watcher;

/** Slot counts of one family (str, int, num, dt) over all pages; "indexed" per the one shared predicate. */
public record FamilyCapacity(long total, long free, long indexedTotal, long indexedFree) {
    public static final FamilyCapacity EMPTY = new FamilyCapacity(0, 0, 0, 0);
}

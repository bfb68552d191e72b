package io.stardust;

/**
 * A read asked to sort on a field that cannot be sorted on now: not declared filterable, or its slot is not
 * assigned or ready (backfilling, tombstoned, unmapped). Sorting needs the slot's index, as filtering does.
 */
public class FieldNotSortableException extends StarDustException {
    public FieldNotSortableException(String message) {
        super(message);
    }
}

package io.stardust;

import java.util.Locale;
import java.util.Objects;

/**
 * The order of a read: by entry id (the default), by creation time, or by one indexed field, ascending or
 * descending; ties are broken by entry id in the same direction. Entries without a value of the field sort first
 * ascending and last descending. Only a field whose slot can be filtered on now can be sorted on
 * ({@link FieldNotSortableException} otherwise).
 *
 * @param key       {@code $id}, {@code $created_at} or a field name
 * @param direction ascending or descending
 */
public record SortSpec(String key, Direction direction) {
    public static final String ID = "$id";
    public static final String CREATED_AT = "$created_at";

    public enum Direction {
        ASC, DESC;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SortSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(direction, "direction");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("sort key must not be empty");
        }
    }

    public static SortSpec byId() {
        return new SortSpec(ID, Direction.ASC);
    }

    public static SortSpec byId(Direction direction) {
        return new SortSpec(ID, direction);
    }

    public static SortSpec byCreatedAt(Direction direction) {
        return new SortSpec(CREATED_AT, direction);
    }

    public static SortSpec byField(String name, Direction direction) {
        return new SortSpec(name, direction);
    }

    /**
     * Parses {@code KEY[:asc|:desc]} as the command line and HTTP take it; {@code KEY} is {@code $id},
     * {@code $created_at} or a field name.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static SortSpec parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        String key = colon < 0 ? text : text.substring(0, colon);
        String dir = colon < 0 ? "asc" : text.substring(colon + 1);
        if (key == null || key.isEmpty() || !(dir.equals("asc") || dir.equals("desc"))) {
            throw new IllegalArgumentException("sort must be KEY, KEY:asc or KEY:desc, KEY being $id, $created_at or a"
                    + " field name; got '" + text + "'");
        }
        return new SortSpec(key, dir.equals("asc") ? Direction.ASC : Direction.DESC);
    }

    public boolean byFieldValue() {
        return !key.equals(ID) && !key.equals(CREATED_AT);
    }

    public boolean descending() {
        return direction == Direction.DESC;
    }

    /** {@code KEY:asc|desc}: what a cursor records, and what {@link #parse} reads. */
    @Override
    public String toString() {
        return key + ":" + direction.wireName();
    }
}

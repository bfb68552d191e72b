package io.stardust.registry.events;

/** What happened to a registry row; the wire code is Debezium's one-letter code. */
public enum Op {
    /** Row inserted. */
    CREATE("c"),
    /** Row updated: {@code before} and {@code after} are both full rows. */
    UPDATE("u"),
    /** Row deleted: {@code after} is null. */
    DELETE("d"),
    /** Row read by the mirror's initial snapshot (the state at that point, not a change). */
    SNAPSHOT("r");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Op fromCode(String code) {
        for (Op op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op '" + code + "' (expected c, u, d or r)");
    }
}

package io.stardust;

import java.util.Locale;

/** A field's declared type; its slot family follows from it. */
public enum DeclaredType {
    STRING("string", "str"), INT("int", "int"), NUMERIC("numeric", "num"), DATETIME("datetime", "dt");

    private final String wire;
    private final String family;

    DeclaredType(String wire, String family) {
        this.wire = wire;
        this.family = family;
    }

    /** The name stored in {@code stardust_fields.declared_type}. */
    public String wireName() {
        return wire;
    }

    /** The slot family ({@code str}, {@code int}, {@code num}, {@code dt}). */
    public String family() {
        return family;
    }

    /** Parses {@code string|int|numeric|datetime}; an illegal-argument error names the accepted values. */
    public static DeclaredType parse(String s) {
        if (s != null) {
            for (DeclaredType t : values()) {
                if (t.wire.equals(s.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown declared type '" + s + "' (expected string, int, numeric or datetime)");
    }

    public static DeclaredType ofFamily(String family) {
        for (DeclaredType t : values()) {
            if (t.family.equals(family)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown slot family '" + family + "'");
    }

    @Override
    public String toString() {
        return wire;
    }
}

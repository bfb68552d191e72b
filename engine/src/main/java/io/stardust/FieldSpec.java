package io.stardust;

/** A field to register: its name, declared type and whether it is filterable. */
public record FieldSpec(String name, DeclaredType type, boolean filterable) {
    /** Parses {@code NAME:TYPE[:filterable]}, the CLI's field syntax. */
    public static FieldSpec parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("filterable"))) {
            throw new IllegalArgumentException("field '" + text + "' must look like NAME:TYPE or NAME:TYPE:filterable");
        }
        return new FieldSpec(parts[0], DeclaredType.parse(parts[1]), parts.length == 3);
    }

    /** The CLI's field syntax, the inverse of {@link #parse}: {@code NAME:TYPE} or {@code NAME:TYPE:filterable}. */
    public String text() {
        return name + ":" + type + (filterable ? ":filterable" : "");
    }
}

package io.stardust;

/**
 * {@code defineModel} was asked for a field that contradicts another definition of the same field; the whole call
 * is rolled back, so nothing is registered. Field names are one name when MySQL's {@code utf8mb4_0900_ai_ci}
 * collation says so (case- and accent-insensitively, as the registry's unique key compares them). Three cases:
 * <ul>
 *   <li>the call names one field twice with different spellings, types or filterability ({@link #registered()}
 *       false: {@link #existing()} is the earlier definition in the same call);</li>
 *   <li>the model already has the field spelled differently, e.g. {@code name} when {@code Name} is asked for
 *       (entry keys must match the registered spelling exactly, so a second spelling would silently route
 *       nothing);</li>
 *   <li>the model already has the field with another declared type or filterability: changing those is a retype
 *       or promotion/demotion, which {@code defineModel} never does.</li>
 * </ul>
 * Repeating a definition identical to the registered one (or to an earlier one in the same call) is not a
 * conflict.
 */
public class FieldDefinitionConflictException extends InvalidModelDefinitionException {
    private final String modelName;
    private final FieldSpec existing;
    private final FieldSpec requested;
    private final boolean registered;

    public FieldDefinitionConflictException(String message, String modelName, FieldSpec existing, FieldSpec requested,
                                            boolean registered) {
        super(message);
        this.modelName = modelName;
        this.existing = existing;
        this.requested = requested;
        this.registered = registered;
    }

    /** The model's name as registered (or as given, when the call creates it). */
    public String modelName() {
        return modelName;
    }

    /** The definition the request contradicts: the registered field, or the earlier one in the same call. */
    public FieldSpec existing() {
        return existing;
    }

    /** The contradicting definition from the request. */
    public FieldSpec requested() {
        return requested;
    }

    /** True when {@link #existing()} is already in the registry; false when it came earlier in the same call. */
    public boolean registered() {
        return registered;
    }
}

package io.stardust.filter;

/**
 * The closed taxonomy of filter rejections. The first nine are raised by the wire decoder; the last
 * four by pre-flight, which also raises {@link #VALUE_OUT_OF_BOUNDS}. {@link #code()} is the wire spelling.
 */
public enum ValidationErrorCode {
    ENVELOPE_MALFORMED(true),
    NODE_MALFORMED(true),
    OPERATOR_UNKNOWN(true),
    VALUE_COUNT_MISMATCH(true),
    VALUE_UNEXPECTED(true),
    VALUE_OUT_OF_BOUNDS(true),
    NESTING_TOO_DEEP(true),
    NODE_COUNT_EXCEEDED(true),
    VERSION_UNSUPPORTED(true),
    FIELD_UNKNOWN(false),
    FIELD_NOT_FILTERABLE(false),
    CAPABILITY_UNSUPPORTED(false),
    VALUE_TYPE_MISMATCH(false);

    private final boolean decoderOwned;
    private final String code;

    ValidationErrorCode(boolean decoderOwned) {
        this.decoderOwned = decoderOwned;
        this.code = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The snake_case name used on the wire, e.g. {@code value_out_of_bounds}. */
    public String code() {
        return code;
    }

    /** True for the codes the JSON decoder can raise. */
    public boolean isDecoderOwned() {
        return decoderOwned;
    }

    /** The constant for a wire spelling; unknown spellings are an error. */
    public static ValidationErrorCode fromCode(String code) {
        for (ValidationErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown filter error code: " + code);
    }

    @Override
    public String toString() {
        return code;
    }
}

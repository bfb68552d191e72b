package io.stardust.chronicler;

/** One entry cannot be written in the job's format; it is skipped and charged to {@code skip_count}. */
final class RowEncodingException extends Exception {
    private final String reason;

    RowEncodingException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    /** {@code format_invalid} (CSV) or {@code unrepresentable_codepoint} (JSON, NDJSON). */
    String reason() {
        return reason;
    }
}

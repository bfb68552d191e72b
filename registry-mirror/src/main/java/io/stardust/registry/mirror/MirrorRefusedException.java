package io.stardust.registry.mirror;

/**
 * The mirror refuses to run because the server or the stored state is not what it needs; the message says what
 * and how to fix it. The command exits 2 on it. {@link #reason()} is one of a closed set of codes.
 */
public final class MirrorRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the mirror refuses to start. */
    public enum Reason {
        BINLOG_OFF("binlog_off"),
        BINLOG_FORMAT("binlog_format"),
        BINLOG_ROW_IMAGE("binlog_row_image"),
        BINLOG_ROW_VALUE_OPTIONS("binlog_row_value_options"),
        SERVER_ID("server_id"),
        GRANTS("grants"),
        TOPIC_NOT_COMPACTED("topic_not_compacted"),
        BINLOG_PURGED("binlog_purged");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public MirrorRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MirrorRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

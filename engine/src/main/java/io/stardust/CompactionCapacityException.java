package io.stardust;

/** Model compaction cannot proceed; nothing was mutated. */
public class CompactionCapacityException extends StarDustException {
    public CompactionCapacityException(String message) {
        super(message);
    }

    public CompactionCapacityException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.stardust;

/** A change to a field whose deletion is still purging its values, or reuse of its name before the purge ends. */
public class FieldDeletionInProgressException extends StarDustException {
    public FieldDeletionInProgressException(String message) {
        super(message);
    }
}

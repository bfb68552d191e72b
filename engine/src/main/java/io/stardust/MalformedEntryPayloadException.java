package io.stardust;

/**
 * An entry envelope of the wrong shape. {@link #key()} names where: {@code tenantId}, {@code [3].modelId},
 * {@code [1]}, or null for the document root (not JSON, not an object).
 */
public class MalformedEntryPayloadException extends StarDustException {
    private final String key;

    public MalformedEntryPayloadException(String message, String key) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

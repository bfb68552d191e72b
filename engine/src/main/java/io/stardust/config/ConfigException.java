package io.stardust.config;

/** A configuration value that is missing, unparsable or out of range; names the key, where it came from and why. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String source, String raw, String problem) {
        super("invalid configuration " + key + "=" + raw + " (from " + source + "): " + problem);
        this.key = key;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    public String key() {
        return key;
    }
}

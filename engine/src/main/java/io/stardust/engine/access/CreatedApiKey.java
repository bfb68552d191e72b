package io.stardust.engine.access;

/** A key just created, with its secret: the only time the secret exists outside its holder. */
public record CreatedApiKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedApiKey[key=" + key + ", secret=***]";
    }
}

package io.stardust;

/** A write or read named a model that does not exist for the tenant (a divergence from upstream, which did not check; see the README). */
public class ModelNotFoundException extends StarDustException {
    public ModelNotFoundException(String message) {
        super(message);
    }

    public ModelNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}

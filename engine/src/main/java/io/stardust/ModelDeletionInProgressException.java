package io.stardust;

/** A write to, or change of, a model whose deletion is still purging its entries. */
public class ModelDeletionInProgressException extends StarDustException {
    public ModelDeletionInProgressException(String message) {
        super(message);
    }
}

package io.stardust;

/** A model of a tenant. */
public record ModelSummary(int modelId, String name) {
}

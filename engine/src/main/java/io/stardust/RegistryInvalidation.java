package io.stardust;

/**
 * Tells a process's registry caches which registry rows changed, so a process that learns about changes from the
 * registry topic ({@code stardust.registry}) can drop exactly what went stale instead of probing
 * {@code stardust_schema_version}. Implemented by the engine's read-path caches ({@link StarDust#registryCaches()})
 * and by any other cache of the registry (the ingest gateway's routes).
 *
 * <p>Model ids and field ids are unique across tenants, so a change names no tenant: a field row carries only its
 * model id, a slot row only its field id. Calls may come from any thread, more than once for one change, and for
 * rows the cache never held; each must be cheap and idempotent.
 */
public interface RegistryInvalidation {

    /** The model's row, or the definition of one of its fields (type, filterability, name, deletion), changed. */
    void modelChanged(int modelId);

    /** The field's slot changed (reserved, backfilling, ready, tombstoned, freed): its model's routes are stale. */
    void fieldChanged(long fieldId);

    /** Anything may have changed (a page row changed, or changes may have been missed): drop everything. */
    void everythingChanged();
}

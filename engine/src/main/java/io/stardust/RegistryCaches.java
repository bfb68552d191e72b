package io.stardust;

/**
 * The read path's registry caches (the schema snapshots behind reads, searches and filter pre-flight). By default
 * every use is validated against {@code stardust_schema_version} (one primary-key read per read or search). A
 * process that follows the registry topic switches them to {@link #followChanges()}: from then on cached snapshots
 * are trusted until an invalidation drops them, and the version table is not read at all.
 */
public interface RegistryCaches extends RegistryInvalidation {

    /**
     * Every registry change committed from now on will be reported through {@link RegistryInvalidation}: stop
     * probing the version table. Drops everything cached, since changes before this call were not reported.
     */
    void followChanges();

    /**
     * Changes may go unreported from now on (the topic is unavailable): validate every use against
     * {@code stardust_schema_version} again. Drops everything cached.
     */
    void probeVersion();

    /** Whether the caches trust invalidations ({@link #followChanges()}) rather than the version probe. */
    boolean followingChanges();
}

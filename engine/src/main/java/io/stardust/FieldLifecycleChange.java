package io.stardust;

/**
 * What a retype, promotion, demotion or relocation started (one atomic registry change).
 *
 * @param oldSlotAssignmentId the live slot tombstoned by the change, or null when the field held none
 * @param newSlotAssignmentId the {@code backfilling} slot reserved for the backfill, or null
 * @param backfillRequired    the field is filterable afterwards, so a backfill checkpoint was created and the
 *                            Reconciler fills the new slot from the JSON payloads
 * @param deferredAssignment  a backfill is required but no indexed slot of the target family was free: the Watcher
 *                            provisions one and the backfill reserves it when it runs
 */
public record FieldLifecycleChange(long tenantId, long fieldId, DeclaredType oldDeclaredType,
                                   DeclaredType newDeclaredType, boolean oldIsFilterable, boolean newIsFilterable,
                                   Long oldSlotAssignmentId, Long newSlotAssignmentId, boolean backfillRequired,
                                   boolean deferredAssignment) {
}

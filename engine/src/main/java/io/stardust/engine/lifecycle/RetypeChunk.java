package io.stardust.engine.lifecycle;

import io.stardust.DeclaredType;
import io.stardust.SlotAssignment;
import java.util.List;

/** How one retype-backfill chunk ended; a driver (the Reconciler) turns it into its events and tick outcome. */
public sealed interface RetypeChunk {

    /** No running retype checkpoint was claimable. */
    record Idle() implements RetypeChunk {
    }

    /**
     * Every claimable checkpoint waits for an indexed slot of its target family (the Watcher provisions one); each
     * one tried was moved to the back of the claim order, so it never blocks the others (Q17).
     */
    record CapacityWait(List<Waiting> waiting) implements RetypeChunk {
    }

    record Waiting(long checkpointId, long fieldId, long tenantId, String family) {
    }

    /** A value that did not convert: the slot got NULL. */
    record CoercionNull(long entryId, CoercionMatrix.Reason reason) {
    }

    /** One chunk committed with its checkpoint. */
    record Done(long checkpointId, long fieldId, long tenantId, int modelId, long slotAssignmentId, long cursorBefore,
                long cursor, int rowsProcessed, List<CoercionNull> coercionNulls, boolean finalChunk,
                SlotAssignment reservedNow, DeclaredType sourceType, DeclaredType targetType, boolean targetFilterable)
            implements RetypeChunk {
    }

    /** The checkpoint could not proceed and is now {@code failed} with {@code reason} (Q16); nothing else changed. */
    record Failed(long checkpointId, long fieldId, String reason) implements RetypeChunk {
    }
}

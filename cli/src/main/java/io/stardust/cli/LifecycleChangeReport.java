package io.stardust.cli;

import io.stardust.FieldLifecycleChange;

/** What {@code field:retype}, {@code field:promote} and {@code field:demote} print about the change they started. */
final class LifecycleChangeReport {
    private LifecycleChangeReport() {
    }

    static String describe(String verb, FieldTarget.Resolved target, FieldLifecycleChange change, String statusCommand) {
        StringBuilder out = new StringBuilder("field " + target.label() + " (" + change.fieldId() + ") " + verb + ": "
                + change.oldDeclaredType().wireName() + (change.oldIsFilterable() ? ":filterable" : "") + " -> "
                + change.newDeclaredType().wireName() + (change.newIsFilterable() ? ":filterable" : ""));
        if (change.oldSlotAssignmentId() != null) {
            out.append("\nold slot ").append(change.oldSlotAssignmentId()).append(" tombstoned (the Liberator reclaims it)");
        }
        if (!change.backfillRequired()) {
            out.append("\ncomplete: the field is JSON-only, reads take it from the payload");
            return out.toString();
        }
        out.append(change.deferredAssignment()
                ? "\nno free indexed slot yet: the Watcher provisions one and the backfill reserves it"
                : "\nslot " + change.newSlotAssignmentId() + " reserved (backfilling)");
        out.append("\nbackfill checkpoint retype_field_").append(change.fieldId())
                .append(" started; a running Reconciler fills the slot from the payloads; filters on the field wait until it completes")
                .append("\nwatch it: ").append(statusCommand);
        return out.toString();
    }
}

package io.stardust;

/**
 * A reserved slot: the column {@code slotColumn} of page {@code pageId} now holds the field's values.
 *
 * @param affinity {@code co_located} when the page already hosted the model, else {@code fallback}
 */
public record SlotAssignment(int pageId, String slotColumn, long slotAssignmentId, String slotType, String affinity) {
}

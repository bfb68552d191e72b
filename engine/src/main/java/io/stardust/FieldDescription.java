package io.stardust;

/**
 * One field of a model as the registry sees it now.
 *
 * @param isFilterable the registry flag
 * @param isIndexed    filterable and holding an indexed slot that is assigned or ready (filters on it will run)
 * @param slotStatus   the field's live slot status, or null when it holds none
 * @param pageId       page of the live slot, or null
 * @param slotColumn   column of the live slot, or null
 */
public record FieldDescription(long fieldId, String name, DeclaredType declaredType, boolean isFilterable,
                               boolean isIndexed, SlotStatus slotStatus, Integer pageId, String slotColumn) {
}

package io.stardust.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * What a registry change makes stale in a cache of models and their field routes: the models whose rows or field
 * definitions changed, the fields whose slots changed (a slot row names its field, not its model: the cache finds
 * the model), or everything. Both images are read, so a field moved between models, or a slot moved between
 * fields, invalidates both sides.
 *
 * <ul>
 *   <li>{@code stardust_models}: the model;</li>
 *   <li>{@code stardust_fields}: the field's model (type, filterability, name, deletion);</li>
 *   <li>{@code stardust_slot_assignments}: the field owning the slot before and after (reserved, backfilling,
 *       ready, tombstoned, freed);</li>
 *   <li>{@code stardust_pages}: nothing for a new page (no field uses it until a slot on it is reserved, which is
 *       its own change); everything for an updated or deleted one (the cache holds page table names);</li>
 *   <li>anything else ({@code stardust_schema_version}, {@code backfill_checkpoints}, the job tables): nothing;
 *       every change a route depends on also changes one of the rows above.</li>
 * </ul>
 */
public record RegistryScope(Set<Integer> models, Set<Long> fields, boolean everything) {

    public RegistryScope {
        models = Set.copyOf(models);
        fields = Set.copyOf(fields);
    }

    public static RegistryScope of(RegistryChange change) {
        Set<Integer> models = new TreeSet<>();
        Set<Long> fields = new TreeSet<>();
        switch (change.table()) {
            case "stardust_models" -> models.add(change.key().path("id").asInt());
            case "stardust_fields" -> {
                addInt(models, change.before(), "model_id");
                addInt(models, change.after(), "model_id");
            }
            case "stardust_slot_assignments" -> {
                addLong(fields, change.before(), "field_id");
                addLong(fields, change.after(), "field_id");
            }
            case "stardust_pages" -> {
                if (change.op() == Op.UPDATE || change.op() == Op.DELETE) {
                    return new RegistryScope(Set.of(), Set.of(), true);
                }
            }
            default -> {
            }
        }
        return new RegistryScope(models, fields, false);
    }

    /**
     * Hands the scope to a cache's invalidation methods: {@code everything} alone when it is set, else each model and
     * each field (e.g. {@code scope.applyTo(caches::modelChanged, caches::fieldChanged, caches::everythingChanged)}).
     */
    public void applyTo(IntConsumer modelChanged, LongConsumer fieldChanged, Runnable everythingChanged) {
        if (everything) {
            everythingChanged.run();
            return;
        }
        models.forEach(modelChanged::accept);
        fields.forEach(fieldChanged::accept);
    }

    public boolean isEmpty() {
        return !everything && models.isEmpty() && fields.isEmpty();
    }

    private static void addInt(Set<Integer> out, JsonNode row, String column) {
        if (row != null && row.hasNonNull(column)) {
            out.add(row.get(column).asInt());
        }
    }

    private static void addLong(Set<Long> out, JsonNode row, String column) {
        if (row != null && row.hasNonNull(column)) {
            out.add(row.get(column).asLong());
        }
    }
}

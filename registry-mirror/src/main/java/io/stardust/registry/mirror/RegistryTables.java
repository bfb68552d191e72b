package io.stardust.registry.mirror;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The tables the mirror captures: the registry (models, fields, pages, slots, schema version), the lifecycle's
 * backfill checkpoints and the import/export jobs. Never {@code entry_data}, the queues or the slot pages.
 */
public final class RegistryTables {
    public static final List<String> CAPTURED = List.of("stardust_models", "stardust_fields", "stardust_pages",
            "stardust_slot_assignments", "stardust_schema_version", "backfill_checkpoints", "stardust_import_jobs",
            "stardust_export_jobs");

    private RegistryTables() {
    }

    /** Debezium's {@code table.include.list}: anchored regular expressions, dots escaped. */
    static String includeList(String database) {
        return CAPTURED.stream().map(t -> quote(database) + "\\." + quote(t)).collect(Collectors.joining(","));
    }

    static String quote(String name) {
        return name.replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
    }
}

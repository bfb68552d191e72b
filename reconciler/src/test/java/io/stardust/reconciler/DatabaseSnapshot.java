package io.stardust.reconciler;

import io.stardust.EngineFixture;
import io.stardust.ImportJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a lifecycle job leaves behind, as comparable lines: entries, every slot page's values, slot assignments,
 * fields, models, checkpoints, import jobs and what is left in the sync queue and DLQ. Entry ids are replaced by
 * their rank in id order: an import whose chunk transaction was killed consumed auto-increment values that a
 * second database never used, so the same content can sit under other ids.
 */
final class DatabaseSnapshot {
    private DatabaseSnapshot() {
    }

    static List<String> of(EngineFixture fx, long tenantId) {
        Map<Long, Integer> rank = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (List<Object> r : fx.rows("SELECT id, tenant_id, model_id, deleted_at IS NULL, CAST(fields AS CHAR)"
                + " FROM entry_data ORDER BY id")) {
            int ordinal = rank.size();
            rank.put(((Number) r.get(0)).longValue(), ordinal);
            out.add("entry #" + ordinal + " tenant=" + r.get(1) + " model=" + r.get(2) + " live=" + r.get(3)
                    + " fields=" + r.get(4));
        }
        for (List<Object> page : fx.rows("SELECT table_name FROM stardust_pages ORDER BY id")) {
            String table = page.get(0).toString();
            List<String> columns = fx.rows("SELECT column_name FROM information_schema.columns WHERE table_schema ="
                    + " DATABASE() AND table_name = ? AND column_name NOT IN ('entry_id', 'tenant_id')"
                    + " ORDER BY ordinal_position", table).stream().map(c -> c.get(0).toString()).toList();
            for (List<Object> r : fx.rows("SELECT * FROM " + table + " ORDER BY entry_id")) {
                StringBuilder line = new StringBuilder(table).append(" #")
                        .append(rank.get(((Number) r.get(0)).longValue())).append(" tenant=").append(r.get(1));
                for (int i = 0; i < columns.size(); i++) {
                    if (r.get(i + 2) != null) {
                        line.append(' ').append(columns.get(i)).append('=').append(text(r.get(i + 2)));
                    }
                }
                out.add(line.toString());
            }
        }
        fx.rows("SELECT page_id, slot_column, status, field_id FROM stardust_slot_assignments"
                + " WHERE status <> 'free' OR field_id IS NOT NULL ORDER BY page_id, slot_column")
                .forEach(r -> out.add("slot " + r));
        fx.rows("SELECT id, model_id, name, declared_type, is_filterable, previous_name, deleted_at IS NULL"
                + " FROM stardust_fields ORDER BY id").forEach(r -> out.add("field " + r));
        fx.rows("SELECT id, tenant_id, name, deleted_at IS NULL FROM stardust_models ORDER BY id")
                .forEach(r -> out.add("model " + r));
        for (List<Object> r : fx.rows("SELECT job_name, status, last_processed_id, rows_processed, coercion_nulls,"
                + " last_error FROM backfill_checkpoints ORDER BY job_name")) {
            long cursor = ((Number) r.get(2)).longValue();
            out.add("checkpoint " + r.get(0) + " " + r.get(1) + " cursor=#" + rank.getOrDefault(cursor, -1)
                    + " rows=" + r.get(3) + " coercion_nulls=" + r.get(4) + " error=" + r.get(5));
        }
        for (List<Object> r : fx.rows("SELECT id FROM stardust_import_jobs ORDER BY id")) {
            ImportJob job = fx.engine.getImportJob(tenantId, ((Number) r.get(0)).longValue()).orElseThrow();
            out.add("import " + job.id() + " " + job.status() + " entries=" + job.entryCount() + " written="
                    + job.entriesWritten() + " chunks=" + job.chunks() + " failed=" + job.failedReason());
            for (ImportJob.Chunk ch : job.chunkManifest()) {
                out.add("import chunk " + ch.index() + " size=" + ch.size() + " " + ch.outcome() + " #"
                        + rank.get(ch.entryIdFirst()) + "..#" + rank.get(ch.entryIdLast()) + " " + ch.failureReason());
            }
        }
        out.add("sync_queue " + fx.count("SELECT COUNT(*) FROM stardust_sync_queue"));
        out.add("reconciler_dlq " + fx.count("SELECT COUNT(*) FROM stardust_reconciler_dlq"));
        out.add("schema_version " + fx.count("SELECT version FROM stardust_schema_version"));
        return out;
    }

    /** A column value as text; binary values (a layout-v2 page's string keys) as hex, so equal bytes compare equal. */
    private static String text(Object value) {
        return value instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(value);
    }
}

package io.stardust.engine.lifecycle;

import io.stardust.DeclaredType;
import io.stardust.LifecycleCheckpoint;
import io.stardust.LifecycleCheckpoint.Operation;
import io.stardust.engine.db.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every lifecycle checkpoint of a tenant (optionally one model) with its progress; read-only and lock-free. The
 * checkpoint rows carry no tenant, so each kind is joined to its field or model by the job name, through the
 * unique job-name index (one lookup per field or model of the tenant).
 */
public final class LifecycleStatusReader {
    private static final String COLUMNS = "cp.job_name, cp.status, cp.last_processed_id, cp.rows_processed,"
            + " cp.coercion_nulls, cp.last_error, cp.started_at, cp.updated_at, cp.completed_at, cp.source_declared_type,"
            + " m.id AS model_id, m.name AS model_name";
    private static final String FIELD_COLUMNS = COLUMNS + ", f.id AS field_id, f.name AS field_name, f.previous_name,"
            + " f.declared_type";

    private final DataSource ds;

    public LifecycleStatusReader(DataSource ds) {
        this.ds = ds;
    }

    /** Ordered by start time, then job name. {@code modelId} null means every model of the tenant. */
    public List<LifecycleCheckpoint> list(long tenantId, Integer modelId) {
        String modelFilter = modelId == null ? "" : " AND m.id = ?";
        StringBuilder sql = new StringBuilder();
        for (String prefix : List.of(RetypeJobs.PREFIX, RenameJobs.PREFIX, PurgeJobs.FIELD_PREFIX)) {
            sql.append("SELECT ").append(FIELD_COLUMNS).append(" FROM stardust_models m")
                    .append(" JOIN stardust_fields f ON f.model_id = m.id")
                    .append(" JOIN backfill_checkpoints cp ON cp.job_name = CONCAT('").append(prefix).append("', f.id)")
                    .append(" WHERE m.tenant_id = ?").append(modelFilter).append(" UNION ALL ");
        }
        sql.append("SELECT ").append(COLUMNS).append(", NULL, NULL, NULL, NULL FROM stardust_models m")
                .append(" JOIN backfill_checkpoints cp ON cp.job_name = CONCAT('").append(PurgeJobs.MODEL_PREFIX)
                .append("', m.id) WHERE m.tenant_id = ?").append(modelFilter)
                .append(" ORDER BY started_at, job_name");
        return Tx.withConnection(ds, c -> {
            List<LifecycleCheckpoint> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (int part = 0; part < 4; part++) {
                    ps.setLong(i++, tenantId);
                    if (modelId != null) {
                        ps.setInt(i++, modelId);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(c, tenantId, rs));
                    }
                }
            }
            return out;
        });
    }

    private static LifecycleCheckpoint row(Connection c, long tenantId, ResultSet rs) throws SQLException {
        String job = rs.getString("job_name");
        String status = rs.getString("status");
        int modelId = rs.getInt("model_id");
        long cursor = rs.getLong("last_processed_id");
        long rows = rs.getLong("rows_processed");
        Long fieldId = rs.getObject("field_id", Long.class);
        String source = rs.getString("source_declared_type");
        String current = rs.getString("declared_type");
        Operation op;
        DeclaredType sourceType = null;
        DeclaredType targetType = null;
        if (job.startsWith(RetypeJobs.PREFIX)) {
            targetType = DeclaredType.parse(current);
            sourceType = source == null ? targetType : DeclaredType.parse(source);
            op = sourceType == targetType ? Operation.BACKFILL : Operation.RETYPE;
        } else if (job.startsWith(RenameJobs.PREFIX)) {
            op = Operation.RENAME;
        } else if (job.startsWith(PurgeJobs.FIELD_PREFIX)) {
            op = Operation.DELETE_FIELD;
        } else {
            op = Operation.DELETE_MODEL;
        }
        long done;
        long total;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(id <= ?), 0) FROM entry_data"
                + " WHERE tenant_id = ? AND model_id = ?")) {
            ps.setLong(1, cursor);
            ps.setLong(2, tenantId);
            ps.setInt(3, modelId);
            try (ResultSet counts = ps.executeQuery()) {
                counts.next();
                // a model purge deletes from the front, so what it passed is what it deleted
                done = op == Operation.DELETE_MODEL ? rows : counts.getLong(2);
                total = op == Operation.DELETE_MODEL ? rows + counts.getLong(1) : counts.getLong(1);
            }
        }
        return new LifecycleCheckpoint(job, op, status, tenantId, modelId, rs.getString("model_name"), fieldId,
                rs.getString("field_name"), rs.getString("previous_name"), sourceType, targetType, cursor, rows,
                rs.getLong("coercion_nulls"), done, total, rs.getString("last_error"),
                rs.getObject("started_at", LocalDateTime.class), rs.getObject("updated_at", LocalDateTime.class),
                rs.getObject("completed_at", LocalDateTime.class));
    }
}

package io.stardust.engine.lifecycle;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The tenant a lifecycle checkpoint works on, from its job name: a field's model's tenant for {@code retype_field_},
 * {@code rename_field_} and {@code purge_field_}, the model's for {@code purge_model_}. Checkpoint rows carry no
 * tenant (upstream's schema), so a driver that partitions work by tenant asks here once per checkpoint.
 */
public final class CheckpointTenants {
    private final DataSource ds;

    public CheckpointTenants(DataSource ds) {
        this.ds = ds;
    }

    /** Whether a driver runs this job: a retype, a rename rewrite or a purge. */
    public static boolean isLifecycleJob(String jobName) {
        return jobName != null && (jobName.startsWith(RetypeJobs.PREFIX) || jobName.startsWith(RenameJobs.PREFIX)
                || jobName.startsWith(PurgeJobs.FIELD_PREFIX) || jobName.startsWith(PurgeJobs.MODEL_PREFIX));
    }

    /** The tenant, or empty when the job name is not a lifecycle job or its field or model no longer exists. */
    public OptionalLong tenantOf(String jobName) throws SQLException {
        if (!isLifecycleJob(jobName)) {
            return OptionalLong.empty();
        }
        try (Connection c = ds.getConnection()) {
            long tenant;
            if (jobName.startsWith(PurgeJobs.MODEL_PREFIX)) {
                tenant = Sql.queryLong(c, "SELECT tenant_id FROM stardust_models WHERE id = ?", -1,
                        PurgeJobs.id(jobName, PurgeJobs.MODEL_PREFIX));
            } else {
                tenant = Sql.queryLong(c, "SELECT m.tenant_id FROM stardust_fields f JOIN stardust_models m"
                        + " ON m.id = f.model_id WHERE f.id = ?", -1, fieldId(jobName));
            }
            return tenant < 0 ? OptionalLong.empty() : OptionalLong.of(tenant);
        }
    }

    private static long fieldId(String jobName) {
        if (jobName.startsWith(RetypeJobs.PREFIX)) {
            return RetypeJobs.fieldId(jobName);
        }
        if (jobName.startsWith(RenameJobs.PREFIX)) {
            return RenameJobs.fieldId(jobName);
        }
        return PurgeJobs.id(jobName, PurgeJobs.FIELD_PREFIX);
    }
}

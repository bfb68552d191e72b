package io.stardust.engine.lifecycle;

/** Checkpoint job names of the retype/promotion/relocation backfill: {@code retype_field_<fieldId>}. */
public final class RetypeJobs {
    public static final String PREFIX = "retype_field_";

    private RetypeJobs() {
    }

    public static String jobName(long fieldId) {
        return PREFIX + fieldId;
    }

    /** The field id of a retype job name, or -1 when the name is not one. */
    public static long fieldId(String jobName) {
        if (jobName == null || !jobName.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(jobName.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

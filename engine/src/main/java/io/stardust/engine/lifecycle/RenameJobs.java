package io.stardust.engine.lifecycle;

/** Checkpoint job names of the rename rewrite: {@code rename_field_<fieldId>}. */
public final class RenameJobs {
    public static final String PREFIX = "rename_field_";

    private RenameJobs() {
    }

    public static String jobName(long fieldId) {
        return PREFIX + fieldId;
    }

    static long fieldId(String jobName) {
        try {
            return Long.parseLong(jobName.substring(PREFIX.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}

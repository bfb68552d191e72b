package io.stardust.engine.lifecycle;

/** Checkpoint job names of deletions: {@code purge_field_<fieldId>} and {@code purge_model_<modelId>}. */
public final class PurgeJobs {
    public static final String FIELD_PREFIX = "purge_field_";
    public static final String MODEL_PREFIX = "purge_model_";

    private PurgeJobs() {
    }

    public static String field(long fieldId) {
        return FIELD_PREFIX + fieldId;
    }

    public static String model(long modelId) {
        return MODEL_PREFIX + modelId;
    }

    static long id(String jobName, String prefix) {
        try {
            return Long.parseLong(jobName.substring(prefix.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}

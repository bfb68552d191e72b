package io.stardust.streams.backfill;

/**
 * What the backfill sub-topology knows of one lifecycle checkpoint: its row id, job name, tenant, and whether it is
 * still running (a completed, failed or deleted checkpoint is not). MySQL stays authoritative: this only says
 * which checkpoints a tenant's partition should try to drive. Wire form: {@code id|tenant|running|jobName}.
 */
record CheckpointState(long checkpointId, String jobName, long tenantId, boolean running) {

    String encode() {
        return checkpointId + "|" + tenantId + "|" + running + "|" + jobName;
    }

    static CheckpointState decode(String wire) {
        String[] p = wire.split("\\|", 4);
        if (p.length != 4) {
            throw new IllegalArgumentException("not a checkpoint state: '" + wire + "'");
        }
        return new CheckpointState(Long.parseLong(p[0]), p[3], Long.parseLong(p[1]), Boolean.parseBoolean(p[2]));
    }
}

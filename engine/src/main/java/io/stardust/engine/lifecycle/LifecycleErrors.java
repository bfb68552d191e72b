package io.stardust.engine.lifecycle;

import io.stardust.engine.db.DbErrorKind;

/**
 * Which errors a lifecycle chunk passes to its driver instead of failing its checkpoint: lock conflicts (the driver
 * retries them) and a lost or unreachable database (the daemon's outage policy waits for it). Anything else means
 * the job itself cannot proceed.
 */
final class LifecycleErrors {
    private LifecycleErrors() {
    }

    static boolean isRetryableOrOutage(Throwable e) {
        DbErrorKind kind = DbErrorKind.of(e);
        return kind == DbErrorKind.CONFLICT || kind == DbErrorKind.OUTAGE;
    }

    /** The reason stored in {@code backfill_checkpoints.last_error} (512 characters at most). */
    static String reason(Throwable e) {
        String m = e.getClass().getSimpleName() + ": " + (e.getMessage() == null ? "" : e.getMessage());
        return m.length() > 512 ? m.substring(0, 509) + "..." : m;
    }
}

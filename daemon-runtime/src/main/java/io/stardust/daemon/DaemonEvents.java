package io.stardust.daemon;

import java.util.List;

/**
 * Event names emitted by the daemon machinery, all under source {@value #SOURCE} with a {@code daemon} field naming
 * the daemon ({@code watcher}, {@code reconciler}, {@code liberator}, {@code chronicler}, …).
 *
 * <p><b>These names are additions to StarDust's closed event vocabulary</b>: upstream logs nothing
 * when a daemon starts or stops, deletes no stale flag (Q10) and does not survive a database outage. They live
 * under their own source so the per-source allowlists of the engine's events stay exactly upstream's.
 *
 * <ul>
 *   <li>{@value #DAEMON_STARTED} (info): {@code daemon, pid, host, flag_file, pid_file (singletons only),
 *       idle_interval_ms, idle_sleep_ms, shutdown_timeout_ms}.</li>
 *   <li>{@value #DAEMON_STOPPED} (info on exit 0, error otherwise, with the exception when fatal): {@code daemon, reason, exit_code, ticks}. Reasons:
 *       {@code signal}, {@code shutdown_flag}, {@code requested}, {@code interrupted}, {@code fatal_error},
 *       {@code startup_failed}, {@code usage_error}, {@code singleton_violation}.</li>
 *   <li>{@value #DB_UNAVAILABLE} (warning): {@code daemon, attempt, delay_ms, error_class, sql_state, error_code,
 *       error_message} — a tick failed with a transient connection error and will be retried.</li>
 *   <li>{@value #DB_RECOVERED} (info): {@code daemon, failed_attempts, outage_ms} — the first tick that succeeded
 *       after one or more {@value #DB_UNAVAILABLE}.</li>
 * </ul>
 *
 * All events of one daemon run share one {@code correlation_id}, also those of source
 * {@value io.stardust.daemon.process.ProcessEvents#SOURCE} ({@code config_resolved}, {@code stop_requested},
 * {@code stale_shutdown_flag_removed}, {@code drain_timeout}) that the process runtime logs for it.
 */
public final class DaemonEvents {
    public static final String SOURCE = "daemon";

    public static final String DAEMON_STARTED = "daemon_started";
    public static final String DAEMON_STOPPED = "daemon_stopped";
    public static final String DB_UNAVAILABLE = "db_unavailable";
    public static final String DB_RECOVERED = "db_recovered";

    /** The complete vocabulary of source {@value #SOURCE}. */
    public static final List<String> VOCABULARY = List.of(DAEMON_STARTED, DAEMON_STOPPED, DB_UNAVAILABLE,
            DB_RECOVERED);

    private DaemonEvents() {
    }
}

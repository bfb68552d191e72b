package io.stardust.daemon.process;

import java.util.List;

/**
 * Event names emitted by the {@link ProcessRuntime} for every long-running process, under source {@value #SOURCE},
 * each with a {@code process} field ({@code watcher}, {@code reconciler}, {@code liberator}, {@code serve},
 * {@code registry-mirror}) and one {@code correlation_id} per run. Additions to StarDust's closed vocabulary
 * (upstream logs none of them), kept under their own source so the engine's per-source allowlists stay upstream's.
 *
 * <ul>
 *   <li>{@value #CONFIG_RESOLVED} (info), once at start: {@code process, pid, config} — every option of the
 *       process's definition with its resolved value, secrets (declared secret options, keys naming a password,
 *       secret, token or credential, and credentials inside a DSN) replaced by {@code ****}.</li>
 *   <li>{@value #STALE_SHUTDOWN_FLAG_REMOVED} (warning): {@code process, flag_file} — decision Q10.</li>
 *   <li>{@value #STOP_REQUESTED} (info): {@code process, reason (signal | shutdown_flag | requested |
 *       interrupted), shutdown_timeout_ms} — the drain starts.</li>
 *   <li>{@value #DRAIN_TIMEOUT} (error): {@code process, shutdown_timeout_ms} — the process had not stopped
 *       {@link ProcessRuntime#CLOSE_GRACE} after its shutdown timeout; it exits 1 at once.</li>
 * </ul>
 */
public final class ProcessEvents {
    public static final String SOURCE = "process";

    public static final String CONFIG_RESOLVED = "config_resolved";
    public static final String STALE_SHUTDOWN_FLAG_REMOVED = "stale_shutdown_flag_removed";
    public static final String STOP_REQUESTED = "stop_requested";
    public static final String DRAIN_TIMEOUT = "drain_timeout";

    /** The complete vocabulary of source {@value #SOURCE}. */
    public static final List<String> VOCABULARY = List.of(CONFIG_RESOLVED, STALE_SHUTDOWN_FLAG_REMOVED,
            STOP_REQUESTED, DRAIN_TIMEOUT);

    private ProcessEvents() {
    }
}

package io.stardust.daemon;

import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Mints worker identities {@code <hostname or "unknown">:<pid>:<uuidv4>} for job claims (Reconciler import jobs,
 * Chronicler exports). A fresh UUID per {@link #mint()} call — one per claim attempt — so two claims by
 * the same process are still distinguishable.
 *
 * <p>The host name is resolved once per instance (the lookup can be slow) and shortened so the identity always
 * fits the {@code worker_identity VARCHAR(128)} columns.
 */
public final class WorkerIdentity {
    public static final int MAX_LENGTH = 128;

    private final String host;
    private final long pid;
    private final Supplier<String> uuids;

    public WorkerIdentity(String host, long pid, Supplier<String> uuids) {
        this.pid = pid;
        this.uuids = Objects.requireNonNull(uuids);
        String h = host == null || host.isBlank() ? "unknown" : host.strip();
        // 36 for the UUID, 2 separators, the pid's digits: whatever is left is the host's share of 128
        int room = MAX_LENGTH - 36 - 2 - Long.toString(pid).length();
        this.host = h.length() > room ? h.substring(0, room) : h;
    }

    /** This process: its host name (or {@code unknown}), its PID, secure random UUIDs. */
    public static WorkerIdentity ofThisProcess() {
        UuidV4 uuid = UuidV4.secure();
        return new WorkerIdentity(localHostName(), ProcessHandle.current().pid(), uuid::next);
    }

    public String mint() {
        return host + ':' + pid + ':' + uuids.get();
    }

    public String host() {
        return host;
    }

    public long pid() {
        return pid;
    }

    /** The local host name, or {@code "unknown"} when it cannot be determined. */
    public static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "unknown" : name;
        } catch (Exception e) {
            return "unknown";
        }
    }
}

package io.stardust.engine.db;

import io.stardust.AdvisoryLockTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A MySQL named lock ({@code GET_LOCK}) held on a connection of its own. A named lock belongs to the
 * session, so the connection is opened for the lock and kept until {@link #release()}: sharing it with other work
 * would tie the lock to that work's connection handling (a pool could hand the session, lock and all, to someone
 * else).
 *
 * <p>The lock the server sees is the given name plus a namespace suffix, {@code _} and the first 12 hex digits of
 * {@code SHA1(lockNamespace)}, or of {@code SHA1(DATABASE())} when no {@code lockNamespace} is configured, so two
 * installations on one MySQL server never share a lock (upstream's later lock naming).
 *
 * <p>Use with try-with-resources. Java has no destructor to release it "on disposal" as upstream does; a lock
 * that is never released still disappears when its connection closes or its session dies.
 */
public final class AdvisoryLock implements AutoCloseable {

    private final String name;
    private final Connection connection;
    private final AtomicBoolean released = new AtomicBoolean();

    private AdvisoryLock(String name, Connection connection) {
        this.name = name;
        this.connection = connection;
    }

    /** As {@link #acquire(ConnectionFactory, String, int, String)} with no {@code lockNamespace}: the database name. */
    public static AdvisoryLock acquire(ConnectionFactory connections, String name, int timeoutSeconds)
            throws SQLException {
        return acquire(connections, name, timeoutSeconds, null);
    }

    /**
     * Opens a connection and waits up to {@code timeoutSeconds} for the lock {@code name}, namespaced by
     * {@code lockNamespace} (null: the connection's database name).
     *
     * @throws AdvisoryLockTimeoutException when {@code GET_LOCK} returns 0 (another session holds the lock) or
     *                                      NULL (a server-side error); the connection is closed
     * @throws SQLException                 when the connection or the statement fails (left unwrapped so that
     *                                      the daemons' outage policy can recognise an outage)
     */
    public static AdvisoryLock acquire(ConnectionFactory connections, String name, int timeoutSeconds,
                                       String lockNamespace) throws SQLException {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("advisory lock name must not be empty");
        }
        if (timeoutSeconds < 0) {
            // GET_LOCK treats a negative timeout as "wait forever", which a daemon must never do
            throw new IllegalArgumentException("advisory lock timeout must be >= 0 seconds, was " + timeoutSeconds);
        }
        Connection c = connections.open();
        boolean held = false;
        try {
            String effective = namespaced(c, name, lockNamespace);
            Number result;
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                ps.setString(1, effective);
                ps.setInt(2, timeoutSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    result = (Number) rs.getObject(1);
                }
            }
            if (result == null) {
                throw new AdvisoryLockTimeoutException("GET_LOCK('" + effective + "', " + timeoutSeconds
                        + ") returned NULL: the server could not take the lock");
            }
            if (result.intValue() != 1) {
                throw new AdvisoryLockTimeoutException("another session holds the lock '" + effective + "' (waited "
                        + timeoutSeconds + " s)");
            }
            held = true;
            return new AdvisoryLock(effective, c);
        } finally {
            if (!held) {
                closeQuietly(c);
            }
        }
    }

    /**
     * The server-side name of lock {@code base} in {@code lockNamespace}, or, when that is null, in the namespace of
     * the database of connection {@code c}.
     */
    public static String namespaced(Connection c, String base, String lockNamespace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT CONCAT(?, '_', LEFT(SHA1(COALESCE(?, DATABASE(), '')), 12))")) {
            ps.setString(1, base);
            ps.setString(2, lockNamespace);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The lock's server-side (namespaced) name. */
    public String name() {
        return name;
    }

    public boolean isHeld() {
        return !released.get();
    }

    /**
     * Runs {@code RELEASE_LOCK} once and closes the connection; idempotent, never throws. If the release fails
     * the connection is aborted rather than closed, so a pooled session cannot go back to the pool still holding
     * the lock.
     */
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        boolean releasedOnServer = false;
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, name);
            ps.executeQuery().close();
            releasedOnServer = true;
        } catch (SQLException | RuntimeException ignored) {
            // swallowed by contract; ending the session below drops the lock anyway
        }
        if (!releasedOnServer) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // best effort; close() follows
            }
        }
        closeQuietly(connection);
    }

    @Override
    public void close() {
        release();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing left to do with a connection that will not close
        }
    }
}

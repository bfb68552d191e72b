package io.stardust.daemon.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not delivered a complete request head within the request-read timeout of opening
 * (or of its previous response). The idle timeout alone does not bound this: a client trickling one byte a second
 * is never idle, and each such connection holds one of the endpoint's connection slots.
 *
 * <p>Jetty parses heads without a thread, so slow clients cost no worker; this bounds how long they cost a slot.
 */
final class RequestHeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Map<Connection, Armed> pending = new ConcurrentHashMap<>();

    RequestHeaderDeadline(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    @Override
    public void onOpened(Connection connection) {
        arm(connection);
    }

    @Override
    public void onClosed(Connection connection) {
        disarm(connection);
    }

    /** The head arrived: the service's own deadlines take over. */
    void headReceived(Connection connection) {
        disarm(connection);
    }

    /** The response went out: a kept-alive connection now owes the next head within the timeout. */
    void responded(Connection connection) {
        if (connection.getEndPoint().isOpen()) {
            arm(connection);
        }
    }

    private void arm(Connection connection) {
        Armed armed = new Armed(connection);
        Armed previous = pending.put(connection, armed);
        if (previous != null) {
            previous.task.cancel();
        }
        armed.task = scheduler.schedule(armed::expire, timeout);
    }

    private void disarm(Connection connection) {
        if (connection == null) {
            return;
        }
        Armed armed = pending.remove(connection);
        if (armed != null && armed.task != null) {
            armed.task.cancel();
        }
    }

    /** One armed deadline; only the one still registered for its connection may close it. */
    private final class Armed {
        private final Connection connection;
        private volatile Scheduler.Task task;

        Armed(Connection connection) {
            this.connection = connection;
        }

        void expire() {
            if (pending.remove(connection, this)) {
                connection.close();
            }
        }
    }
}

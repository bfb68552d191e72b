package io.stardust.bench.versus;

import io.stardust.bench.ProcCpu;
import io.stardust.kit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Watches a backlog drain from the outside, the same way for every contender: polls {@code SELECT COUNT(*)} of
 * the contender's table on its own connection every {@value #POLL_MILLIS} ms, and at the first poll that sees a
 * durable row and at the poll that sees the last one, takes the CPU time of each process from {@code /proc} and
 * mysqld's write counters, which show where the time goes.
 */
final class DrainMeter implements AutoCloseable {
    private static final long POLL_MILLIS = 100;
    private static final Duration STALL_LIMIT = Duration.ofMinutes(3);
    private static final long FAILURE_CHECK_NANOS = 2_000_000_000L;

    /**
     * InnoDB row operations (clustered index: inserts + updates + deletes), redo bytes written, COMMIT statements,
     * row lock waits and the milliseconds spent in them.
     */
    static final String ROW_WRITES = "row writes";
    static final String REDO_BYTES = "redo bytes";
    static final String COMMITS = "commits";
    static final String LOCK_WAITS = "row lock waits";
    static final String LOCK_WAIT_MS = "row lock wait ms";
    private static final String STATUS_SQL = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_rows_inserted',"
            + " 'Innodb_rows_updated', 'Innodb_rows_deleted', 'Innodb_os_log_written', 'Com_commit',"
            + " 'Innodb_row_lock_waits', 'Innodb_row_lock_time')";

    /** One observation: when, how many rows were durable, CPU seconds per process and mysqld's counters so far. */
    record Sample(long nanos, long count, Map<String, Double> cpuSeconds, Map<String, Long> counters) {
    }

    /** From the first durable row seen to the last. */
    record Window(Sample first, Sample last) {
        double seconds() {
            return (last.nanos() - first.nanos()) / 1e9;
        }

        /** Rows that became durable inside the window, per second; NaN when one poll saw them all (too few rows to time). */
        double rowsPerSecond() {
            return last.count() == first.count() ? Double.NaN : (last.count() - first.count()) / seconds();
        }

        /** How much of mysqld's {@code counter} the window took per row made durable in it. */
        double perRow(String counter) {
            return (last.counters().get(counter) - first.counters().get(counter)) / (double) (last.count() - first.count());
        }

        long delta(String counter) {
            return last.counters().get(counter) - first.counters().get(counter);
        }

        /** CPU seconds {@code process} used inside the window divided by its length: 1.0 is one core busy. */
        double coresBusy(String process) {
            Double a = first.cpuSeconds().get(process);
            Double b = last.cpuSeconds().get(process);
            return a == null || b == null ? Double.NaN : (b - a) / seconds();
        }
    }

    private final Connection connection;
    private final ProcCpu cpu;
    private final Map<String, Long> pids = new LinkedHashMap<>();

    DrainMeter(EmbeddedMySql mysql, ProcCpu cpu) throws SQLException {
        this.connection = mysql.connect("");
        this.cpu = cpu;
    }

    /** Adds a process whose CPU time every sample records, under {@code name}. */
    void track(String name, long pid) {
        pids.put(name, pid);
    }

    Sample sample(long count) throws SQLException {
        long now = System.nanoTime();
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.forEach((name, pid) -> seconds.put(name, cpu.seconds(pid)));
        Map<String, Long> status = new LinkedHashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(STATUS_SQL)) {
            while (rs.next()) {
                status.put(rs.getString(1), rs.getLong(2));
            }
        }
        Map<String, Long> counters = Map.of(
                ROW_WRITES, status.get("Innodb_rows_inserted") + status.get("Innodb_rows_updated") + status.get("Innodb_rows_deleted"),
                REDO_BYTES, status.get("Innodb_os_log_written"),
                COMMITS, status.get("Com_commit"),
                LOCK_WAITS, status.get("Innodb_row_lock_waits"),
                LOCK_WAIT_MS, status.get("Innodb_row_lock_time"));
        return new Sample(now, count, seconds, counters);
    }

    /**
     * Polls {@code countSql} until it reaches {@code rows}. {@code failure} is asked every 2 s and ends the wait
     * with its message (a failed connector task, quarantined records); so does a count that stops moving for
     * {@link #STALL_LIMIT}.
     */
    Window await(String countSql, long rows, Supplier<Optional<String>> failure) throws SQLException {
        Sample first = null;
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        long lastCheck = System.nanoTime();
        while (true) {
            long count = count(countSql);
            if (count > 0 && first == null) {
                first = sample(count);
            }
            if (count >= rows) {
                if (count > rows) {
                    throw new IllegalStateException(countSql + " found " + count + " rows, more than the " + rows + " produced");
                }
                return new Window(first, sample(count));
            }
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            } else if (now - lastProgress > STALL_LIMIT.toNanos()) {
                throw new IllegalStateException(countSql + " stuck at " + count + " of " + rows + " rows for " + STALL_LIMIT);
            }
            if (now - lastCheck > FAILURE_CHECK_NANOS) {
                lastCheck = now;
                Optional<String> failed = failure.get();
                if (failed.isPresent()) {
                    throw new IllegalStateException("at " + count + " of " + rows + " rows: " + failed.get());
                }
            }
            LockSupport.parkNanos(POLL_MILLIS * 1_000_000);
        }
    }

    long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Makes InnoDB write back its dirty pages (at most {@code max}), so one contender's background flushing does
     * not slow the next one down: an idle server would flush them only at {@code innodb_io_capacity}, so
     * {@code innodb_max_dirty_pages_pct} is set to 0 meanwhile and restored after. Returns how long it took.
     */
    Duration awaitQuiet(Duration max) throws SQLException {
        long t0 = System.nanoTime();
        String dirtyPercent = "SELECT SUM(MODIFIED_DATABASE_PAGES) * 100 DIV SUM(POOL_SIZE) FROM information_schema.INNODB_BUFFER_POOL_STATS";
        String before;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.innodb_max_dirty_pages_pct")) {
            rs.next();
            before = rs.getString(1);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
            while (count(dirtyPercent) > 1 && System.nanoTime() - t0 < max.toNanos()) {
                LockSupport.parkNanos(250_000_000L);
            }
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + Double.parseDouble(before));
            }
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}

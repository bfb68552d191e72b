package io.stardust.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run an {@link EmbeddedMySql}.
 *
 * @param cacheDir        where the unpacked distribution and the template data directory are kept across runs
 * @param workDir         where each instance's data directory goes
 * @param port            0 for a free port
 * @param bufferPoolBytes InnoDB buffer pool size
 * @param keepData        keep the data directory after {@link EmbeddedMySql#close()}
 * @param durable         MySQL's durable defaults (fsync of redo log and binlog at every commit, doublewrite)
 *                        instead of the fast test flags; for throughput figures that are compared with other systems
 */
public record MySqlOptions(Path cacheDir, Path workDir, int port, long bufferPoolBytes, boolean keepData, boolean durable) {

    static final long REDO_LOG_BYTES = 64L << 20;
    /**
     * A sustained write benchmark with a small redo log measures checkpoint stalls more than anything else;
     * production servers size it in the hundreds of MiB. The size changes nothing about what survives a crash.
     */
    static final long DURABLE_REDO_LOG_BYTES = 512L << 20;

    /** The fast test settings ({@code durable} off), as before the flag existed. */
    public MySqlOptions(Path cacheDir, Path workDir, int port, long bufferPoolBytes, boolean keepData) {
        this(cacheDir, workDir, port, bufferPoolBytes, keepData, false);
    }

    /** Defaults for tests: small buffer pool, data deleted on close; cache under {@code ~/.cache/stardust-kit}. */
    public static MySqlOptions forTests(Path workDir) {
        return new MySqlOptions(defaultCacheDir(), workDir, 0, 64L << 20, false, false);
    }

    public static Path defaultCacheDir() {
        String override = System.getenv("STARDUST_KIT_CACHE");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "stardust-kit");
    }

    public MySqlOptions withPort(int newPort) {
        return new MySqlOptions(cacheDir, workDir, newPort, bufferPoolBytes, keepData, durable);
    }

    public MySqlOptions withBufferPoolBytes(long bytes) {
        return new MySqlOptions(cacheDir, workDir, port, bytes, keepData, durable);
    }

    public MySqlOptions withKeepData(boolean keep) {
        return new MySqlOptions(cacheDir, workDir, port, bufferPoolBytes, keep, durable);
    }

    /**
     * With {@code true}: every COMMIT is fsynced to the redo log ({@code innodb_flush_log_at_trx_commit=1}) and
     * the binlog ({@code sync_binlog=1}), pages go through the doublewrite buffer and data files are fsynced
     * ({@code innodb_flush_method=fsync}): what a production server runs with, and what survives a power loss.
     */
    public MySqlOptions withDurable(boolean on) {
        return new MySqlOptions(cacheDir, workDir, port, bufferPoolBytes, keepData, on);
    }

    /**
     * Start-up flags for buffer pool, redo log and flushing. The test default trades OS-crash durability for
     * speed: a killed mysqld still keeps every committed transaction ({@code flush_log_at_trx_commit=2} writes
     * the redo log to the OS at each commit), which is what the crash tests rely on; only a power loss could lose
     * the last second. {@link #durable()} uses the server's durable settings instead.
     */
    List<String> tuningFlags() {
        List<String> flags = new ArrayList<>(List.of("--innodb-buffer-pool-size=" + bufferPoolBytes));
        if (durable) {
            flags.addAll(List.of(
                    "--innodb-redo-log-capacity=" + DURABLE_REDO_LOG_BYTES,
                    "--innodb-flush-method=fsync",
                    "--innodb-doublewrite=ON",
                    "--innodb-flush-log-at-trx-commit=1",
                    "--sync-binlog=1"));
        } else {
            flags.addAll(List.of(
                    "--innodb-redo-log-capacity=" + REDO_LOG_BYTES,
                    "--innodb-flush-method=nosync",
                    "--innodb-doublewrite=0",
                    "--innodb-flush-log-at-trx-commit=2",
                    "--sync-binlog=0"));
        }
        flags.addAll(List.of(
                "--performance-schema=OFF",
                "--table-open-cache=400",
                "--max-allowed-packet=67108864"));
        return flags;
    }
}

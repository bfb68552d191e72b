package io.stardust.kit;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run an {@link EmbeddedMySql}.
 *
 * @param cacheDir        where the unpacked distribution and the template data directory are kept across runs
 * @param workDir         where each instance's data directory goes
 * @param port            0 for a free port
 * @param bufferPoolBytes InnoDB buffer pool size
 * @param keepData        keep the data directory after {@link EmbeddedMySql#close()}
 */
public record MySqlOptions(Path cacheDir, Path workDir, int port, long bufferPoolBytes, boolean keepData) {

    /** Defaults for tests: small buffer pool, data deleted on close; cache under {@code ~/.cache/stardust-kit}. */
    public static MySqlOptions forTests(Path workDir) {
        return new MySqlOptions(defaultCacheDir(), workDir, 0, 64L << 20, false);
    }

    public static Path defaultCacheDir() {
        String override = System.getenv("STARDUST_KIT_CACHE");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "stardust-kit");
    }

    public MySqlOptions withPort(int newPort) {
        return new MySqlOptions(cacheDir, workDir, newPort, bufferPoolBytes, keepData);
    }

    public MySqlOptions withBufferPoolBytes(long bytes) {
        return new MySqlOptions(cacheDir, workDir, port, bytes, keepData);
    }

    public MySqlOptions withKeepData(boolean keep) {
        return new MySqlOptions(cacheDir, workDir, port, bufferPoolBytes, keep);
    }

    /**
     * Flags that trade OS-crash durability for speed. A killed mysqld still keeps every committed transaction
     * ({@code flush_log_at_trx_commit=2} writes the redo log to the OS at each commit), which is what the
     * crash tests rely on; only a power loss could lose the last second.
     */
    List<String> tuningFlags() {
        return List.of(
                "--innodb-buffer-pool-size=" + bufferPoolBytes,
                "--innodb-redo-log-capacity=" + REDO_LOG_BYTES,
                "--innodb-flush-method=nosync",
                "--innodb-doublewrite=0",
                "--innodb-flush-log-at-trx-commit=2",
                "--sync-binlog=0",
                "--performance-schema=OFF",
                "--table-open-cache=400",
                "--max-allowed-packet=67108864");
    }

    static final long REDO_LOG_BYTES = 64L << 20;
}

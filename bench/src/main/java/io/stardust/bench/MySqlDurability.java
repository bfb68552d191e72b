package io.stardust.bench;

import io.stardust.kit.EmbeddedMySql;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server settings that decide what a benchmark's "durable" means, read back from the running mysqld (not
 * from the flags we passed), so a reader can check them in the output.
 */
public final class MySqlDurability {
    private static final List<String> SETTINGS = List.of("version", "innodb_flush_log_at_trx_commit", "sync_binlog",
            "innodb_doublewrite", "innodb_flush_method", "log_bin", "binlog_format", "binlog_row_image",
            "innodb_buffer_pool_size", "innodb_redo_log_capacity", "transaction_isolation");

    private MySqlDurability() {
    }

    /** {@code name=value} pairs, comma-separated, in a fixed order. */
    public static String describe(EmbeddedMySql mysql) {
        Map<String, String> v = mysql.globalVariables(SETTINGS);
        return v.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Whether every commit is fsynced (redo log and binlog) through the doublewrite buffer, with no {@code nosync}. */
    public static boolean isDurable(EmbeddedMySql mysql) {
        Map<String, String> v = mysql.globalVariables(SETTINGS);
        return "1".equals(v.get("innodb_flush_log_at_trx_commit")) && "1".equals(v.get("sync_binlog"))
                && "ON".equals(v.get("innodb_doublewrite")) && !v.get("innodb_flush_method").contains("nosync");
    }
}

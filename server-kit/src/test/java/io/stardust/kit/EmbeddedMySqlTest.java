package io.stardust.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class EmbeddedMySqlTest {

    private final TestDatabase db;

    EmbeddedMySqlTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void runsMySql8WithRowBinlogAndUtc() throws SQLException {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT VERSION()")).startsWith("8.0.31");
            assertThat(scalar(s, "SELECT @@log_bin")).isEqualTo("1");
            assertThat(scalar(s, "SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(scalar(s, "SELECT @@binlog_row_image")).isEqualTo("FULL");
            assertThat(scalar(s, "SELECT @@global.time_zone")).isEqualTo("+00:00");
            assertThat(scalar(s, "SELECT DATABASE()")).isEqualTo(db.name());
            assertThat(db.server().connect("").getMetaData().getURL()).contains("127.0.0.1:" + db.server().port());
        }
    }

    @Test
    void eachTestClassGetsItsOwnEmptyDatabase() throws SQLException {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
                    .isEqualTo("0");
            assertThat(db.name()).endsWith("embeddedmysqltest");
        }
    }

    @Test
    void committedRowsSurviveACrashAndRestart() throws SQLException {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id INT PRIMARY KEY) ENGINE=InnoDB");
            s.execute("INSERT INTO survivor VALUES (1), (2), (3)");
        }
        db.server().crash();
        db.server().restart();
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT COUNT(*) FROM survivor")).isEqualTo("3");
        }
    }

    @Test
    void theTestDefaultTradesPowerLossDurabilityForSpeed() {
        assertThat(db.server().globalVariables(List.of("innodb_flush_log_at_trx_commit", "sync_binlog",
                "innodb_doublewrite", "innodb_flush_method")))
                .containsExactly(entry("innodb_flush_log_at_trx_commit", "2"), entry("sync_binlog", "0"),
                        entry("innodb_doublewrite", "OFF"), entry("innodb_flush_method", "nosync"));
    }

    @Test
    void aDurableServerFsyncsRedoLogAndBinlogAtEveryCommit() {
        Path dir = Path.of(System.getProperty("stardust.kit.dir", System.getProperty("java.io.tmpdir") + "/stardust-kit"));
        try (EmbeddedMySql durable = EmbeddedMySql.start(MySqlOptions.forTests(dir.toAbsolutePath()).withDurable(true))) {
            assertThat(durable.globalVariables(List.of("innodb_flush_log_at_trx_commit", "sync_binlog",
                    "innodb_doublewrite", "innodb_flush_method", "binlog_format", "log_bin")))
                    .containsExactly(entry("innodb_flush_log_at_trx_commit", "1"), entry("sync_binlog", "1"),
                            entry("innodb_doublewrite", "ON"), entry("innodb_flush_method", "fsync"),
                            entry("binlog_format", "ROW"), entry("log_bin", "1"));
            assertThat(durable.pid()).isPositive().isNotEqualTo(db.server().pid());
        }
    }

    @Test
    void anUnknownGlobalVariableIsNamedInTheError() {
        assertThatThrownBy(() -> db.server().globalVariables(List.of("sync_binlog", "no_such_variable")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_variable");
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

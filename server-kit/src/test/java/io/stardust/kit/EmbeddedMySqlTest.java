package io.stardust.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

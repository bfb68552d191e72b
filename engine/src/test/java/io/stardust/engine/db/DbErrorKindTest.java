package io.stardust.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.exceptions.CommunicationsException;
import com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException;
import com.mysql.cj.jdbc.exceptions.PacketTooBigException;
import io.stardust.DatabaseException;
import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per SQLSTATE, vendor code or exception type that decides a retry somewhere in the project. */
class DbErrorKindTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                // connection and server state: an outage
                row("SQLSTATE 08S01 (communications link failure)", sql("08S01", 0), DbErrorKind.OUTAGE),
                row("SQLSTATE 08001 (connection refused)", sql("08001", 0), DbErrorKind.OUTAGE),
                row("Connector/J CommunicationsException", new CommunicationsException("link failure", null),
                        DbErrorKind.OUTAGE),
                row("client 2006 server has gone away, state HY000", sql("HY000", 2006), DbErrorKind.OUTAGE),
                row("client 2013 lost connection, state HY000", sql("HY000", 2013), DbErrorKind.OUTAGE),
                row("1040 too many connections", sql("HY000", 1040), DbErrorKind.OUTAGE),
                row("1053 server shutdown", sql("08S01", 1053), DbErrorKind.OUTAGE),
                row("1290 --read-only (failover)", sql("HY000", 1290), DbErrorKind.OUTAGE),
                row("1317 query interrupted", sql("70100", 1317), DbErrorKind.OUTAGE),
                row("1836 read-only mode", sql("HY000", 1836), DbErrorKind.OUTAGE),
                row("1927 connection killed", sql("70100", 1927), DbErrorKind.OUTAGE),
                row("3024 max_execution_time", sql("HY000", 3024), DbErrorKind.OUTAGE),
                row("4031 disconnected for inactivity", sql("HY000", 4031), DbErrorKind.OUTAGE),
                row("HikariCP pool timeout (SQLTransientConnectionException)",
                        new SQLTransientConnectionException("pool - Connection is not available", "08003"),
                        DbErrorKind.OUTAGE),
                row("SQLTimeoutException (a transient exception)", new SQLTimeoutException("timeout", "HYT00"),
                        DbErrorKind.OUTAGE),
                row("pool closed: no SQLSTATE", new SQLException("HikariDataSource has been closed."),
                        DbErrorKind.OUTAGE),
                row("non-transient connection exception, class 08",
                        new SQLNonTransientConnectionException("refused", "08004"), DbErrorKind.OUTAGE),
                // lost a race with another transaction: a conflict
                row("1213 deadlock, SQLSTATE 40001", sql("40001", 1213), DbErrorKind.CONFLICT),
                row("1205 lock wait timeout, SQLSTATE HY000", sql("HY000", 1205), DbErrorKind.CONFLICT),
                row("SQLSTATE 40001 without a vendor code", sql("40001", 0), DbErrorKind.CONFLICT),
                row("Connector/J MySQLTransactionRollbackException",
                        new MySQLTransactionRollbackException("Deadlock found", "40001", 1213), DbErrorKind.CONFLICT),
                // the statement's data: never retried
                row("1062 duplicate entry, SQLSTATE 23000",
                        new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062),
                        DbErrorKind.DATA),
                row("1406 data too long, SQLSTATE 22001", sql("22001", 1406), DbErrorKind.DATA),
                row("3140 invalid JSON, SQLSTATE 22032", sql("22032", 3140), DbErrorKind.DATA),
                row("1366 incorrect integer value, SQLSTATE HY000", sql("HY000", 1366), DbErrorKind.DATA),
                row("1292 truncated incorrect value, SQLSTATE HY000", sql("HY000", 1292), DbErrorKind.DATA),
                row("packet larger than max_allowed_packet", new PacketTooBigException(20_000_000, 4_194_304),
                        DbErrorKind.DATA),
                // everything else
                row("1146 unknown table, SQLSTATE 42S02", new SQLSyntaxErrorException("no table", "42S02", 1146),
                        DbErrorKind.OTHER),
                row("1045 access denied, SQLSTATE 28000", sql("28000", 1045), DbErrorKind.OTHER),
                row("1054 unknown column, SQLSTATE 42S22", sql("42S22", 1054), DbErrorKind.OTHER),
                row("no SQL cause at all", new IllegalStateException("bug"), DbErrorKind.OTHER),
                row("an I/O error", new IOException("disk"), DbErrorKind.OTHER),
                // where the SQLException hides
                row("deadlock wrapped in the engine's DatabaseException",
                        new DatabaseException("write failed", sql("40001", 1213)), DbErrorKind.CONFLICT),
                row("outage two wrappers deep", new RuntimeException(new IllegalStateException(sql("08S01", 0))),
                        DbErrorKind.OUTAGE),
                row("batch failure naming a deadlock in its next-exception chain",
                        withNext(new BatchUpdateException("batch failed", "HY000", 0, new int[0]), sql("40001", 1213)),
                        DbErrorKind.CONFLICT));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("failures")
    void eachFailureHasOneKind(String what, Throwable failure, DbErrorKind expected) {
        assertThat(DbErrorKind.of(failure)).isEqualTo(expected);
        assertThat(expected.matches(failure)).isTrue();
    }

    private static Arguments row(String what, Throwable failure, DbErrorKind kind) {
        return Arguments.of(what, failure, kind);
    }

    private static SQLException sql(String state, int code) {
        return new SQLException("state " + state + " code " + code, state, code);
    }

    private static SQLException withNext(SQLException first, SQLException next) {
        first.setNextException(next);
        return first;
    }
}

package io.stardust.ingest.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.exceptions.PacketTooBigException;
import io.stardust.DatabaseException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The one classification every retry decision of the gateway uses. */
class FailureKindTest {
    @Test
    void sqlStateClasses22And23AreDataErrorsWhateverTheErrorCode() {
        assertThat(FailureKind.of(new SQLException("Data too long for column 'record_key'", "22001", 1406))).isEqualTo(FailureKind.DATA);
        assertThat(FailureKind.of(new SQLException("Invalid JSON text", "22032", 3140))).isEqualTo(FailureKind.DATA);
        assertThat(FailureKind.of(new SQLException("Duplicate entry", "23000", 1062))).isEqualTo(FailureKind.DATA);
        assertThat(FailureKind.of(new DatabaseException("wrapped", new SQLException("Out of range value", "22003", 1264))))
                .as("found through the cause chain").isEqualTo(FailureKind.DATA);
    }

    @Test
    void aStatementOverMaxAllowedPacketIsTheDatasFault() {
        assertThat(FailureKind.of(new PacketTooBigException(70_000_000, 67_108_864))).isEqualTo(FailureKind.DATA);
    }

    @Test
    void connectionLossDeadlocksLockWaitsAndFailoverAreOutages() {
        assertThat(FailureKind.of(new SQLException("Communications link failure", "08S01", 0))).isEqualTo(FailureKind.OUTAGE);
        assertThat(FailureKind.of(new SQLException("Deadlock found", "40001", 1213))).isEqualTo(FailureKind.OUTAGE);
        assertThat(FailureKind.of(new SQLException("Lock wait timeout exceeded", "HY000", 1205))).isEqualTo(FailureKind.OUTAGE);
        assertThat(FailureKind.of(new SQLException("running with --read-only", "HY000", 1290))).isEqualTo(FailureKind.OUTAGE);
        assertThat(FailureKind.of(new SQLTransientConnectionException("pool timeout"))).isEqualTo(FailureKind.OUTAGE);
        assertThat(FailureKind.of(new SQLException("pool has been closed"))).as("no SQLSTATE: the pool").isEqualTo(FailureKind.OUTAGE);
    }

    @Test
    void everythingElseIsOther() {
        assertThat(FailureKind.of(new SQLException("Table 'stardust_ingest_dlq' doesn't exist", "42S02", 1146))).isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(new SQLException("Access denied", "42000", 1142))).isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(new IllegalStateException("no SQL cause"))).isEqualTo(FailureKind.OTHER);
    }
}

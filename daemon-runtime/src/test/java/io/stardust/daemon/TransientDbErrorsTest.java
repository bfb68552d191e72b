package io.stardust.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransientDbErrorsTest {

    @Test
    void connectionClassSqlStatesAreTransient() {
        assertThat(TransientDbErrors.isTransient(new SQLException("Communications link failure", "08S01"))).isTrue();
        assertThat(TransientDbErrors.isTransient(new SQLException("refused", "08001"))).isTrue();
        assertThat(TransientDbErrors.isTransient(new SQLNonTransientConnectionException("closed", "08003"))).isTrue();
    }

    @Test
    void mysqlGoneAwayAndLostConnectionCodesAreTransient() {
        assertThat(TransientDbErrors.isTransient(new SQLException("MySQL server has gone away", "HY000", 2006))).isTrue();
        assertThat(TransientDbErrors.isTransient(new SQLException("Lost connection", "HY000", 2013))).isTrue();
    }

    @Test
    void poolTimeoutsAreTransient() {
        // HikariCP's "Connection is not available, request timed out" is this type, without a SQLState
        assertThat(TransientDbErrors.isTransient(new SQLTransientConnectionException("pool - request timed out")))
                .isTrue();
    }

    @Test
    void theCauseChainAndNextExceptionsAreSearched() {
        RuntimeException wrapped = new IllegalStateException("tick failed",
                new RuntimeException(new SQLException("link failure", "08S01")));
        assertThat(TransientDbErrors.isTransient(wrapped)).isTrue();

        SQLException batch = new SQLException("batch failed", "HY000");
        batch.setNextException(new SQLException("gone", "HY000", 2006));
        assertThat(TransientDbErrors.isTransient(batch)).isTrue();
    }

    @Test
    void everythingElseIsNotAnOutage() {
        assertThat(TransientDbErrors.isTransient(new SQLException("no such table", "42S02", 1146))).isFalse();
        assertThat(TransientDbErrors.isTransient(new SQLIntegrityConstraintViolationException("dup", "23000", 1062)))
                .isFalse();
        assertThat(TransientDbErrors.isTransient(new SQLTransactionRollbackException("deadlock", "40001", 1213)))
                .isFalse();
        assertThat(TransientDbErrors.isTransient(new SQLException("lock wait", "HY000", 1205))).isFalse();
        assertThat(TransientDbErrors.isTransient(new SQLException("no state"))).isFalse();
        assertThat(TransientDbErrors.isTransient(new IllegalStateException("boom"))).isFalse();
    }

    @Test
    void aCyclicCauseChainTerminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(TransientDbErrors.isTransient(b)).isFalse();
    }

    @Test
    void exponentialBackoffDoublesUpToTheCap() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(List.of(b.delay(1), b.delay(2), b.delay(3), b.delay(4), b.delay(5), b.delay(6), b.delay(7),
                b.delay(1000))).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aScheduleRepeatsItsLastDelay() {
        Backoff b = Backoff.schedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(16)));
        assertThat(List.of(b.delay(1), b.delay(2), b.delay(3), b.delay(4))).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(4), Duration.ofSeconds(16), Duration.ofSeconds(16));
    }
}

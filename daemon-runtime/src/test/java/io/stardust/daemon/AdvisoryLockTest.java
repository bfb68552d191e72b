package io.stardust.daemon;

import io.stardust.engine.db.ConnectionFactory;

import io.stardust.engine.db.AdvisoryLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.AdvisoryLockTimeoutException;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class AdvisoryLockTest {

    private static final String NAME = "stardust_page_provision";

    private final TestDatabase db;
    private final List<Connection> opened = new CopyOnWriteArrayList<>();
    private final ConnectionFactory connections;

    AdvisoryLockTest(TestDatabase db) {
        this.db = db;
        this.connections = () -> {
            Connection c = db.server().connect(db.name());
            opened.add(c);
            return c;
        };
    }

    @Test
    void aSiblingSessionHoldingTheLockMakesAcquireTimeOut() throws Exception {
        try (AdvisoryLock held = AdvisoryLock.acquire(connections, NAME, 1)) {
            assertThat(held.isHeld()).isTrue();
            assertThat(holderConnectionId()).isEqualTo(connectionId(opened.get(0)));

            assertThatThrownBy(() -> AdvisoryLock.acquire(connections, NAME, 1))
                    .isInstanceOf(AdvisoryLockTimeoutException.class)
                    .hasMessageContaining("another session holds the lock")
                    .hasMessageContaining(NAME);
            // the loser's dedicated connection was closed, the winner's is still open
            assertThat(opened).hasSize(2);
            assertThat(opened.get(1).isClosed()).isTrue();
            assertThat(opened.get(0).isClosed()).isFalse();
        }
    }

    @Test
    void releaseFreesTheLockForTheNextSessionAndClosesItsConnection() throws Exception {
        AdvisoryLock first = AdvisoryLock.acquire(connections, NAME, 1);
        first.release();

        assertThat(first.isHeld()).isFalse();
        assertThat(opened.get(0).isClosed()).isTrue();
        assertThat(holderConnectionId()).isNull();
        try (AdvisoryLock second = AdvisoryLock.acquire(connections, NAME, 1)) {
            assertThat(second.isHeld()).isTrue();
            assertThat(holderConnectionId()).isEqualTo(connectionId(opened.get(1)));
        }
        assertThat(holderConnectionId()).isNull();
    }

    @Test
    void releaseIsIdempotentAndSwallowsErrors() throws Exception {
        AdvisoryLock lock = AdvisoryLock.acquire(connections, NAME, 1);
        // kill the session under the lock: RELEASE_LOCK will fail, and must not throw
        try (Connection admin = db.server().connect(db.name()); Statement s = admin.createStatement()) {
            s.execute("KILL " + connectionId(opened.get(0)));
        }
        lock.release();
        lock.release();
        lock.close();
        assertThat(lock.isHeld()).isFalse();
        try (AdvisoryLock again = AdvisoryLock.acquire(connections, NAME, 1)) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void lockNamesAreIndependent() throws Exception {
        try (AdvisoryLock a = AdvisoryLock.acquire(connections, "stardust_a", 0);
             AdvisoryLock b = AdvisoryLock.acquire(connections, "stardust_b", 0)) {
            assertThat(a.isHeld()).isTrue();
            assertThat(b.isHeld()).isTrue();
        }
    }

    @Test
    void aConnectionFailureIsNotATimeout() {
        ConnectionFactory broken = () -> {
            throw new SQLException("Communications link failure", "08S01");
        };
        assertThatThrownBy(() -> AdvisoryLock.acquire(broken, NAME, 1))
                .isInstanceOf(SQLException.class)
                .isNotInstanceOf(AdvisoryLockTimeoutException.class);
    }

    @Test
    void twoInstallationsInDifferentDatabasesOfOneServerNeverShareALock() throws Exception {
        String other = db.name() + "_b";
        db.server().recreateDatabase(other);
        ConnectionFactory otherInstall = () -> db.server().connect(other);
        try (AdvisoryLock here = AdvisoryLock.acquire(connections, NAME, 0);
             AdvisoryLock there = AdvisoryLock.acquire(otherInstall, NAME, 0)) {
            assertThat(here.isHeld()).isTrue();
            assertThat(there.isHeld()).isTrue();
            assertThat(here.name()).startsWith(NAME + "_").hasSize(NAME.length() + 13).isNotEqualTo(there.name());
        }
    }

    @Test
    void aNegativeTimeoutWouldWaitForeverAndIsRefused() {
        assertThatThrownBy(() -> AdvisoryLock.acquire(connections, NAME, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(opened).isEmpty();
    }

    private Long holderConnectionId() throws SQLException {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK(CONCAT('" + NAME + "_', LEFT(SHA1(DATABASE()), 12)))")) {
            rs.next();
            long id = rs.getLong(1);
            return rs.wasNull() ? null : id;
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

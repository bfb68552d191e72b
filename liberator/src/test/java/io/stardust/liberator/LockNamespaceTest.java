package io.stardust.liberator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.db.Sleeper;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.AdvisoryLock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Advisory lock names carry the installation's namespace ({@code _} + 12 hex digits of the SHA-1 of
 * {@code lockNamespace}, else of the database name): two installations on one MySQL server with the same page ids
 * never share a page lock, and a configured namespace is what decides which installations share one.
 */
@ExtendWith(MySqlExtension.class)
class LockNamespaceTest {
    private final TestDatabase db;
    private TestDatabase second;
    private DbFixture one;
    private DbFixture two;

    LockNamespaceTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        one = DbFixture.fresh(db);
        second = new TestDatabase(db.server(), db.name() + "_b");
        two = DbFixture.fresh(second);
        for (DbFixture fx : new DbFixture[] {one, two}) { // the same tenant, model, page and slot in each database
            DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
            fx.seedEntries(5, slot);
            fx.tombstone(slot.slotAssignmentId());
        }
    }

    @AfterEach
    void tearDown() {
        one.close();
        two.close();
        db.server().dropDatabase(second.name());
    }

    private static Liberator liberator(DbFixture fx, String lockNamespace) {
        return Liberator.create(fx.ds, lockNamespace, LiberatorConfig.defaults(), Sleeper.system(), () -> false, null, null);
    }

    private static String sha1Prefix(String s) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }

    @Test
    void twoDatabasesOnOneServerWithTheSameModelAndPageEachTakeTheirOwnPageLock() throws Exception {
        String page = Liberator.PAGE_LOCK_PREFIX + 1;
        try (AdvisoryLock sweepingOne = AdvisoryLock.acquire(one.ds::getConnection, page, 0);
             Liberator inTwo = liberator(two, null);
             Liberator inOne = liberator(one, null)) {
            assertThat(sweepingOne.name()).isEqualTo(page + "_" + sha1Prefix(db.name()));

            assertThat(inTwo.tick()).as("page 1 of the other database is not locked").isEqualTo(TickOutcome.WORK_DONE);
            assertThat(inOne.tick()).as("page 1 of this database is").isEqualTo(TickOutcome.IDLE);
        }
        assertThat(two.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'")).isZero();
        assertThat(one.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'")).isEqualTo(1);
    }

    @Test
    void theConfiguredLockNamespaceReplacesTheDatabaseName() throws Exception {
        String page = Liberator.PAGE_LOCK_PREFIX + 1;
        try (AdvisoryLock held = AdvisoryLock.acquire(one.ds::getConnection, page, 0, "shared");
             Liberator sameNamespace = liberator(two, "shared");
             Liberator otherNamespace = liberator(one, "mine")) {
            assertThat(held.name()).isEqualTo(page + "_" + sha1Prefix("shared"));

            assertThat(sameNamespace.tick()).as("one namespace, one lock, whatever the database")
                    .isEqualTo(TickOutcome.IDLE);
            assertThat(otherNamespace.tick()).as("another namespace, another lock, even in the same database")
                    .isEqualTo(TickOutcome.WORK_DONE);
        }
    }
}

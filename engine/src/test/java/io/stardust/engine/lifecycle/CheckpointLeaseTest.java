package io.stardust.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lease on a checkpoint row: one driver at a time, takeover after expiry, a lost lease moves nothing. */
@ExtendWith(MySqlExtension.class)
class CheckpointLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final TestDatabase db;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private EngineFixture fx;
    private ModelDefinition m;
    private long code;

    CheckpointLeaseTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true));
        code = m.fieldId("code");
        fx.engine.provisionPage(List.of("i_int_01"));
        for (int i = 0; i < 5; i++) {
            fx.write(1, m, Map.of("code", Integer.toString(i)));
        }
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aCheckpointLeasedToOneDriverIsNotMovedByAnotherUntilTheLeaseExpiresThenTheOldDriverMovesNothing() throws Exception {
        fx.engine.retypeField(1, code, DeclaredType.INT);
        RetypeBackfill a = retype("a");
        RetypeBackfill b = retype("b");

        assertThat(a.runChunk(2)).isInstanceOf(RetypeChunk.Done.class);
        assertThat(owner()).isEqualTo("a");
        long cursorAfterA = cursor();

        clock.advance(LEASE.minusSeconds(1));
        assertThat(b.runChunk(2)).as("a's lease still holds").isInstanceOf(RetypeChunk.Idle.class);
        assertThat(cursor()).isEqualTo(cursorAfterA);

        clock.advance(Duration.ofSeconds(1));
        RetypeChunk takeover = b.runChunk(2);
        assertThat(takeover).isInstanceOf(RetypeChunk.Done.class);
        assertThat(((RetypeChunk.Done) takeover).cursorBefore()).as("b resumes at a's cursor").isEqualTo(cursorAfterA);
        assertThat(owner()).isEqualTo("b");
        long cursorAfterB = cursor();

        assertThat(a.runChunk(2)).as("a lost its lease").isInstanceOf(RetypeChunk.Idle.class);
        assertThat(cursor()).isEqualTo(cursorAfterB);

        assertThat(b.runChunk(2)).isInstanceOf(RetypeChunk.Done.class);
        assertThat(fx.rows("SELECT status, rows_processed, claimed_by, lease_until FROM backfill_checkpoints WHERE job_name = ?",
                RetypeJobs.jobName(code)).get(0)).as("completed exactly once, no owner left")
                .containsExactly("completed", 5L, null, null);
    }

    @Test
    void everyChunkRenewsTheLeaseSoALiveDriverKeepsItsCheckpoint() throws Exception {
        fx.engine.retypeField(1, code, DeclaredType.INT);
        RetypeBackfill a = retype("a");
        RetypeBackfill b = retype("b");

        assertThat(a.runChunk(1)).isInstanceOf(RetypeChunk.Done.class);
        clock.advance(LEASE.minusSeconds(5));
        assertThat(a.runChunk(1)).isInstanceOf(RetypeChunk.Done.class);
        clock.advance(LEASE.minusSeconds(5));

        assertThat(b.runChunk(1)).as("renewed by a's second chunk").isInstanceOf(RetypeChunk.Idle.class);
    }

    @Test
    void aReleasedLeaseIsTakenOverAtOnce() throws Exception {
        fx.engine.retypeField(1, code, DeclaredType.INT);
        CheckpointLease leaseA = new CheckpointLease("a", LEASE);
        RetypeBackfill a = new RetypeBackfill(fx.ds, new UtcClock(clock), new SlotReserver(fx.ds, new UtcClock(clock)), leaseA);
        assertThat(a.runChunk(2)).isInstanceOf(RetypeChunk.Done.class);

        CheckpointLeases leases = new CheckpointLeases(fx.ds);
        assertThat(leases.release(new CheckpointLease("b", LEASE), checkpointId())).as("only the owner releases").isFalse();
        assertThat(leases.release(leaseA, checkpointId())).isTrue();

        assertThat(retype("b").runChunk(2)).isInstanceOf(RetypeChunk.Done.class);
        assertThat(owner()).isEqualTo("b");
    }

    @Test
    void aChunkForOneCheckpointMovesOnlyThatCheckpoint() throws Exception {
        ModelDefinition other = fx.modelWithSlots(2, "n", new FieldSpec("code", DeclaredType.STRING, true));
        fx.write(2, other, Map.of("code", "7"));
        fx.engine.provisionPage(List.of("i_int_01"));
        fx.engine.retypeField(1, code, DeclaredType.INT);
        fx.engine.retypeField(2, other.fieldId("code"), DeclaredType.INT);
        long otherCheckpoint = fx.count("SELECT id FROM backfill_checkpoints WHERE job_name = ?",
                RetypeJobs.jobName(other.fieldId("code")));

        RetypeChunk r = retype("a").runChunk(500, otherCheckpoint);

        assertThat(r).isInstanceOf(RetypeChunk.Done.class);
        assertThat(((RetypeChunk.Done) r).checkpointId()).isEqualTo(otherCheckpoint);
        assertThat(cursor()).as("tenant 1's checkpoint untouched").isZero();
    }

    @Test
    void theRenameRewriteHonoursTheLeaseTooAsThePurgesShareItsClaim() throws Exception {
        fx.engine.renameField(1, code, "label");
        RenameRewrite a = new RenameRewrite(fx.ds, new UtcClock(clock), new CheckpointLease("a", LEASE));
        RenameRewrite b = new RenameRewrite(fx.ds, new UtcClock(clock), new CheckpointLease("b", LEASE));

        assertThat(a.runChunk(2)).isInstanceOf(RenameRewrite.Done.class);
        assertThat(b.runChunk(2)).isInstanceOf(RenameRewrite.Idle.class);
        clock.advance(LEASE);
        assertThat(b.runChunk(2)).isInstanceOf(RenameRewrite.Done.class);
        assertThat(a.runChunk(2)).isInstanceOf(RenameRewrite.Idle.class);
    }

    private RetypeBackfill retype(String owner) {
        UtcClock utc = new UtcClock(clock);
        return new RetypeBackfill(fx.ds, utc, new SlotReserver(fx.ds, utc), new CheckpointLease(owner, LEASE));
    }

    private long checkpointId() {
        return fx.count("SELECT id FROM backfill_checkpoints WHERE job_name = ?", RetypeJobs.jobName(code));
    }

    private long cursor() {
        return fx.count("SELECT last_processed_id FROM backfill_checkpoints WHERE job_name = ?", RetypeJobs.jobName(code));
    }

    private Object owner() {
        return fx.rows("SELECT claimed_by FROM backfill_checkpoints WHERE job_name = ?", RetypeJobs.jobName(code)).get(0).get(0);
    }

    /** A clock the test moves forward explicitly. */
    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

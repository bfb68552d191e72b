package io.stardust.watcher;

import io.stardust.daemon.WorkerIdentity;
import io.stardust.engine.advisory.AdvisorySchedule;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Claims the advisory samples of {@code stardust_advisory_schedule} (see {@link AdvisorySchedule}) for this process.
 * A claim is a conditional UPDATE of a due row ({@code next_due_at <= now}) that also moves {@code next_due_at} on,
 * so of several Watchers polling at once exactly one sees its UPDATE match and runs the sample.
 *
 * <p>The periodic row is created by the first poll of the fleet, due at a random phase ({@link AdvisoryTimer}), and
 * claiming it schedules the next one. A one-shot row is claimed for {@link #CLAIM_LEASE_SECONDS} and deleted once
 * its sample ran; a Watcher that dies in between leaves the row to be claimed again when the lease ends.
 */
public final class SampleSchedule {
    /** Long enough for a sample of the largest page; a crashed claim is retried after it. */
    static final long CLAIM_LEASE_SECONDS = 3600;
    private static final int ONE_SHOTS_PER_POLL = 100;

    /** A one-shot sample this process claimed: exactly one of {@code slotAssignmentId}, {@code modelId} is set. */
    public record Claim(String kind, String token, Long slotAssignmentId, Integer modelId) {
    }

    private final DataSource ds;
    private final AdvisoryTimer timer;
    private final Clock clock;
    private final WorkerIdentity identity;

    public SampleSchedule(DataSource ds, AdvisoryTimer timer, Clock clock, WorkerIdentity identity) {
        this.ds = ds;
        this.timer = timer;
        this.clock = clock;
        this.identity = identity;
    }

    /** True when the periodic sample is due and this process claimed it (the next one is then scheduled). */
    public boolean claimPeriodic() {
        long now = clock.instant().getEpochSecond();
        return Tx.withConnection(ds, c -> {
            int claimed = Sql.update(c, "UPDATE stardust_advisory_schedule SET next_due_at = ?, last_sampled_at = ?,"
                            + " claimed_by = ?, updated_at = ? WHERE sample_kind = ? AND next_due_at <= ?",
                    at(timer.nextDue(now)), at(now), identity.mint(), at(now), AdvisorySchedule.PERIODIC, at(now));
            if (claimed == 1) {
                return true;
            }
            if (Sql.queryLong(c, "SELECT COUNT(*) FROM stardust_advisory_schedule WHERE sample_kind = ?", 0,
                    AdvisorySchedule.PERIODIC) == 0) {
                try {
                    Sql.update(c, "INSERT INTO stardust_advisory_schedule (sample_kind, next_due_at, updated_at)"
                            + " VALUES (?, ?, ?)", AdvisorySchedule.PERIODIC, at(timer.firstDue(now)), at(now));
                } catch (SQLException e) {
                    if (!Sql.isDuplicateKey(e)) {
                        throw e;
                    }
                    // another Watcher scheduled the first sample at the same moment: its phase stands
                }
            }
            return false;
        });
    }

    /** The due one-shot samples this process claimed now (at most {@value #ONE_SHOTS_PER_POLL}), oldest first. */
    public List<Claim> claimOneShots() {
        long now = clock.instant().getEpochSecond();
        return Tx.withConnection(ds, c -> {
            List<Claim> claims = new ArrayList<>();
            for (String kind : dueOneShots(c, now)) {
                String token = identity.mint();
                if (Sql.update(c, "UPDATE stardust_advisory_schedule SET claimed_by = ?, next_due_at = ?, updated_at = ?"
                                + " WHERE sample_kind = ? AND next_due_at <= ?",
                        token, at(now + CLAIM_LEASE_SECONDS), at(now), kind, at(now)) == 1) {
                    claims.add(claim(kind, token));
                }
            }
            return claims;
        });
    }

    /**
     * The claimed sample ran: its row goes, unless a newer promotion asked for it again meanwhile (that cleared
     * {@code claimed_by}), in which case it stays due.
     */
    public void done(Claim claim) {
        Tx.withConnection(ds, c -> Sql.update(c, "DELETE FROM stardust_advisory_schedule WHERE sample_kind = ?"
                + " AND claimed_by = ?", claim.kind(), claim.token()));
    }

    private static List<String> dueOneShots(Connection c, long now) throws SQLException {
        List<String> kinds = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sample_kind FROM stardust_advisory_schedule"
                + " WHERE next_due_at <= ? AND sample_kind REGEXP ? ORDER BY next_due_at, sample_kind LIMIT ?")) {
            ps.setObject(1, at(now));
            // ids that fit the sampler's types; anything else in the table is not this Watcher's to run
            ps.setString(2, "^(" + AdvisorySchedule.CARDINALITY_PREFIX + "[0-9]{1,18}|" + AdvisorySchedule.SPREAD_PREFIX
                    + "[0-9]{1,9})$");
            ps.setInt(3, ONE_SHOTS_PER_POLL);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
        }
        return kinds;
    }

    private static Claim claim(String kind, String token) {
        if (kind.startsWith(AdvisorySchedule.CARDINALITY_PREFIX)) {
            return new Claim(kind, token, Long.parseLong(kind.substring(AdvisorySchedule.CARDINALITY_PREFIX.length())), null);
        }
        return new Claim(kind, token, null, Integer.parseInt(kind.substring(AdvisorySchedule.SPREAD_PREFIX.length())));
    }

    private static LocalDateTime at(long epochSeconds) {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    }
}

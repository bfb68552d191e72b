package io.stardust.engine.access;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Responses remembered under a client's {@code Idempotency-Key} ({@code stardust_idempotency_keys}), scoped to the
 * API key that sent it (and so to its tenant): a retry of the same request gets the first answer instead of a
 * second write. A request claims its key before it writes, so two concurrent retries cannot both write.
 */
public final class IdempotencyRecords {
    /** Longest key accepted, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    private final DataSource ds;
    private final UtcClock clock;

    public IdempotencyRecords(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = new UtcClock(clock);
    }

    /** What {@link #claim} found. */
    public sealed interface Claim {
    }

    /** The key was free and is now this request's: write, then {@link #complete} or {@link #release}. */
    public record Claimed() implements Claim {
    }

    /** The same request was answered before: send this again. */
    public record Replay(int status, byte[] body) implements Claim {
    }

    /** The key was used for a different request (other route or body). */
    public record Mismatch() implements Claim {
    }

    /** The same key is being served right now by another request. */
    public record InProgress() implements Claim {
    }

    /**
     * Claims the key for a request identified by {@code fingerprint} (route and body, any stable text).
     */
    public Claim claim(long apiKeyId, long tenantId, String key, String fingerprint) {
        byte[] hash = ApiKeys.sha256(fingerprint);
        return Tx.withConnection(ds, c -> {
            try {
                Sql.update(c, "INSERT INTO stardust_idempotency_keys (api_key_id, idempotency_key, tenant_id,"
                        + " request_hash, created_at) VALUES (?, ?, ?, ?, ?)", apiKeyId, key, tenantId, hash, clock.now());
                return new Claimed();
            } catch (java.sql.SQLException e) {
                if (!Sql.isDuplicateKey(e)) {
                    throw e;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, status, response_body"
                    + " FROM stardust_idempotency_keys WHERE api_key_id = ? AND idempotency_key = ?")) {
                ps.setLong(1, apiKeyId);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // released between our insert and this read: the caller may simply retry
                        return new InProgress();
                    }
                    if (!MessageDigest.isEqual(hash, rs.getBytes("request_hash"))) {
                        return new Mismatch();
                    }
                    int status = rs.getInt("status");
                    return rs.wasNull() ? new InProgress() : new Replay(status, rs.getBytes("response_body"));
                }
            }
        });
    }

    /** Stores the answer of a claimed key. */
    public void complete(long apiKeyId, String key, int status, byte[] body) {
        Tx.withConnection(ds, c -> Sql.update(c, "UPDATE stardust_idempotency_keys SET status = ?, response_body = ?,"
                + " completed_at = ? WHERE api_key_id = ? AND idempotency_key = ?", status, body, clock.now(), apiKeyId, key));
    }

    /** Frees a claimed key whose request failed before it changed anything, so a retry runs afresh. */
    public void release(long apiKeyId, String key) {
        Tx.withConnection(ds, c -> Sql.update(c, "DELETE FROM stardust_idempotency_keys WHERE api_key_id = ?"
                + " AND idempotency_key = ? AND status IS NULL", apiKeyId, key));
    }
}

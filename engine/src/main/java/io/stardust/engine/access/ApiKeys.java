package io.stardust.engine.access;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.write.TenantIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The API keys of {@code stardust_api_keys}. A key is {@value #PREFIX} followed by 256 random bits (base64url);
 * only its SHA-256 is stored, so a database dump reveals no usable key. Authentication looks the hash up by its
 * unique index and compares it in constant time.
 */
public final class ApiKeys {
    public static final String PREFIX = "sdk_";
    private static final int SECRET_BYTES = 32;
    private static final int MAX_NAME = 128;

    private final DataSource ds;
    private final UtcClock clock;
    private final SecureRandom random;

    public ApiKeys(DataSource ds, Clock clock, SecureRandom random) {
        this.ds = ds;
        this.clock = new UtcClock(clock);
        this.random = random;
    }

    /** Creates a key for the tenant; the returned secret is not stored anywhere. */
    public CreatedApiKey create(long tenantId, String name, Set<ApiKeyScope> scopes) {
        TenantIds.require(tenantId);
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("scopes must name at least one of read, write, export, admin");
        }
        String trimmed = name == null || name.isBlank() ? null : name.trim();
        if (trimmed != null && trimmed.codePointCount(0, trimmed.length()) > MAX_NAME) {
            throw new IllegalArgumentException("name must be at most " + MAX_NAME + " characters");
        }
        byte[] raw = new byte[SECRET_BYTES];
        random.nextBytes(raw);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        var now = clock.now();
        long id = Tx.withConnection(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stardust_api_keys"
                    + " (tenant_id, name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
                    PreparedStatement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, tenantId);
                ps.setString(2, trimmed);
                ps.setBytes(3, sha256(secret));
                ps.setString(4, ApiKeyScope.format(scopes));
                ps.setObject(5, now);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new CreatedApiKey(new ApiKey(id, tenantId, trimmed, scopes, now, null), secret);
    }

    /** Revokes a key at once; false when there is no such key or it is already revoked. */
    public boolean revoke(long keyId) {
        return Tx.withConnection(ds, c -> Sql.update(c,
                "UPDATE stardust_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", clock.now(), keyId)) == 1;
    }

    /** Every key (revoked ones too), by id; {@code tenantId} null means every tenant's. */
    public List<ApiKey> list(Long tenantId) {
        return Tx.withConnection(ds, c -> {
            String sql = "SELECT id, tenant_id, name, scopes, created_at, revoked_at FROM stardust_api_keys"
                    + (tenantId == null ? "" : " WHERE tenant_id = ?") + " ORDER BY id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (tenantId != null) {
                    ps.setLong(1, tenantId);
                }
                List<ApiKey> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The active key with this secret; empty for an unknown, malformed or revoked one. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 128) {
            return Optional.empty();
        }
        byte[] hash = sha256(secret);
        return Tx.withConnection(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant_id, name, scopes, created_at, revoked_at,"
                    + " key_hash FROM stardust_api_keys WHERE key_hash = ?")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !MessageDigest.isEqual(hash, rs.getBytes("key_hash"))) {
                        return Optional.<ApiKey>empty();
                    }
                    ApiKey key = row(rs);
                    return key.active() ? Optional.of(key) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    private static ApiKey row(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"),
                ApiKeyScope.parseList(rs.getString("scopes")), Sql.dateTime(rs, "created_at"),
                Sql.dateTime(rs, "revoked_at"));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

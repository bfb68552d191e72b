package io.stardust.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.EngineFixture;
import io.stardust.InvalidTenantIdException;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class ApiKeysTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ApiKeys keys;

    ApiKeysTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        keys = fx.engine.apiKeys();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aCreatedKeyAuthenticatesAsItsTenantAndScopesAndOnlyItsSha256IsStored() {
        CreatedApiKey created = keys.create(7, " billing ", EnumSet.of(ApiKeyScope.READ, ApiKeyScope.WRITE));
        assertThat(created.secret()).startsWith(ApiKeys.PREFIX).hasSize(ApiKeys.PREFIX.length() + 43);
        assertThat(created.toString()).doesNotContain(created.secret());

        ApiKey key = keys.authenticate(created.secret()).orElseThrow();
        assertThat(key.tenantId()).isEqualTo(7);
        assertThat(key.name()).isEqualTo("billing");
        assertThat(key.scopes()).containsExactlyInAnyOrder(ApiKeyScope.READ, ApiKeyScope.WRITE);

        List<List<Object>> stored = fx.rows("SELECT HEX(key_hash), scopes FROM stardust_api_keys");
        assertThat(stored.get(0).get(0).toString().toLowerCase())
                .isEqualTo(HexFormat.of().formatHex(ApiKeys.sha256(created.secret())));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_api_keys WHERE CAST(key_hash AS CHAR) LIKE ?",
                "%" + created.secret().substring(10, 30) + "%")).isZero();
        assertThat(stored.get(0).get(1)).isEqualTo("read,write");
    }

    @Test
    void unknownAlteredMalformedAndRevokedKeysDoNotAuthenticate() {
        CreatedApiKey created = keys.create(1, null, Set.of(ApiKeyScope.ADMIN));
        String secret = created.secret();
        String altered = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
        assertThat(keys.authenticate(altered)).isEmpty();
        assertThat(keys.authenticate(secret.substring(ApiKeys.PREFIX.length()))).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate(secret)).isPresent();

        assertThat(keys.revoke(created.key().id())).isTrue();
        assertThat(keys.revoke(created.key().id())).as("already revoked").isFalse();
        assertThat(keys.authenticate(secret)).isEmpty();
        assertThat(keys.list(1L)).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
    }

    @Test
    void twoKeysNeverShareASecretAndListingIsPerTenant() {
        String a = keys.create(1, "a", Set.of(ApiKeyScope.READ)).secret();
        String b = keys.create(2, "b", Set.of(ApiKeyScope.READ)).secret();
        assertThat(a).isNotEqualTo(b);
        assertThat(keys.list(1L)).extracting(ApiKey::name).containsExactly("a");
        assertThat(keys.list(null)).hasSize(2);
    }

    @Test
    void aKeyNeedsAValidTenantAtLeastOneScopeAndAShortName() {
        assertThatThrownBy(() -> keys.create(0, null, Set.of(ApiKeyScope.READ))).isInstanceOf(InvalidTenantIdException.class);
        assertThatThrownBy(() -> keys.create(1, null, Set.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> keys.create(1, "x".repeat(129), Set.of(ApiKeyScope.READ))).hasMessageContaining("128");
        assertThatThrownBy(() -> ApiKeyScope.parseList("read,owner")).hasMessageContaining("unknown scope 'owner'");
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_api_keys")).isZero();
    }

    @Test
    void anIdempotencyKeyIsClaimedOnceReplaysItsAnswerAndRefusesAnotherRequest() {
        IdempotencyRecords records = fx.engine.idempotencyRecords();
        assertThat(records.claim(5, 1, "k1", "create a")).isInstanceOf(IdempotencyRecords.Claimed.class);
        assertThat(records.claim(5, 1, "k1", "create a")).isInstanceOf(IdempotencyRecords.InProgress.class);
        records.complete(5, "k1", 201, "{\"id\":3}".getBytes());
        assertThat(records.claim(5, 1, "k1", "create a")).isInstanceOfSatisfying(IdempotencyRecords.Replay.class,
                r -> assertThat(new String(r.body())).isEqualTo("{\"id\":3}"));
        assertThat(records.claim(5, 1, "k1", "create b")).isInstanceOf(IdempotencyRecords.Mismatch.class);
        assertThat(records.claim(6, 1, "k1", "create b")).as("another API key's namespace")
                .isInstanceOf(IdempotencyRecords.Claimed.class);
        records.release(6, "k1");
        assertThat(records.claim(6, 1, "k1", "create c")).as("released").isInstanceOf(IdempotencyRecords.Claimed.class);
    }
}

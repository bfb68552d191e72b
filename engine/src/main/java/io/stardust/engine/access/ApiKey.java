package io.stardust.engine.access;

import java.time.LocalDateTime;
import java.util.Set;

/**
 * A stored API key, without its secret (only the secret's SHA-256 is stored).
 *
 * @param revokedAt null while the key is active
 */
public record ApiKey(long id, long tenantId, String name, Set<ApiKeyScope> scopes, LocalDateTime createdAt,
                     LocalDateTime revokedAt) {
    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public boolean allows(ApiKeyScope scope) {
        return scopes.contains(scope);
    }

    public boolean active() {
        return revokedAt == null;
    }
}

package io.stardust.engine.write;

import io.stardust.InvalidTenantIdException;

/** The tenant check every public entry point makes before any SQL. */
public final class TenantIds {
    private TenantIds() {
    }

    public static long require(long tenantId) {
        if (tenantId < 1) {
            throw new InvalidTenantIdException("tenant_id must be >= 1, got " + tenantId);
        }
        return tenantId;
    }
}

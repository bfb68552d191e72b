package io.stardust.streams.backfill;

import java.util.OptionalLong;

/** The tenant of a lifecycle checkpoint by its job name; empty when it is none of ours or its field/model is gone. */
@FunctionalInterface
interface TenantLookup {
    OptionalLong tenantOf(String jobName) throws Exception;
}

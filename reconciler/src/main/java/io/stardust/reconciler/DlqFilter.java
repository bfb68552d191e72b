package io.stardust.reconciler;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which DLQ rows an operator command means. {@code ids} select those rows and win over everything else (as
 * upstream's {@code --id} wins over {@code --reason}); otherwise the given criteria are AND-ed. {@code reason} is
 * matched as given, without validation: a value outside the ENUM simply matches nothing (upstream).
 *
 * @param olderThan rows whose {@code failed_at} lies further back than this from now
 * @param limit     at most this many rows, oldest first; 0 = all
 */
public record DlqFilter(List<Long> ids, String reason, Long tenantId, Duration olderThan, int limit) {
    public DlqFilter {
        ids = ids == null ? List.of() : List.copyOf(ids);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
    }

    public static DlqFilter all() {
        return new DlqFilter(List.of(), null, null, null, 0);
    }

    public static DlqFilter byId(long id) {
        return new DlqFilter(List.of(id), null, null, null, 0);
    }

    public static DlqFilter byReason(String reason) {
        return new DlqFilter(List.of(), reason, null, null, 0);
    }

    public DlqFilter withTenant(Long tenant) {
        return new DlqFilter(ids, reason, tenant, olderThan, limit);
    }

    public DlqFilter withOlderThan(Duration age) {
        return new DlqFilter(ids, reason, tenantId, age, limit);
    }

    public DlqFilter withLimit(int rows) {
        return new DlqFilter(ids, reason, tenantId, olderThan, rows);
    }

    /** A SQL condition (never empty: {@code 1 = 1} for everything) with its bind values appended to {@code binds}. */
    String where(LocalDateTime now, List<Object> binds) {
        if (!ids.isEmpty()) {
            binds.addAll(ids);
            return "id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        }
        List<String> terms = new ArrayList<>();
        if (reason != null) {
            terms.add("reason = ?");
            binds.add(reason);
        }
        if (tenantId != null) {
            terms.add("tenant_id = ?");
            binds.add(tenantId);
        }
        if (olderThan != null) {
            terms.add("failed_at < ?");
            binds.add(now.minus(olderThan));
        }
        return terms.isEmpty() ? "1 = 1" : String.join(" AND ", terms);
    }

    /** {@code ORDER BY id} and, when limited, the {@code LIMIT}: oldest rows first. */
    String orderAndLimit() {
        return " ORDER BY id" + (limit > 0 ? " LIMIT " + limit : "");
    }

    /** For messages: {@code --id=3}, {@code --reason=x --tenant=7}, … */
    public String describe() {
        if (!ids.isEmpty()) {
            return "--id=" + ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        }
        List<String> parts = new ArrayList<>();
        if (reason != null) {
            parts.add("--reason=" + reason);
        }
        if (tenantId != null) {
            parts.add("--tenant=" + tenantId);
        }
        if (olderThan != null) {
            parts.add("--older-than=" + olderThan);
        }
        return parts.isEmpty() ? "--all" : String.join(" ", parts);
    }
}

package io.stardust.reconciler;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Which DLQ rows an operator command means. {@code id} alone selects one row and wins over everything else (as
 * upstream's {@code --id} wins over {@code --reason}); otherwise the given criteria are AND-ed. {@code reason} is
 * matched as given, without validation: a value outside the ENUM simply matches nothing (upstream).
 *
 * @param olderThan rows whose {@code failed_at} lies further back than this from now
 */
public record DlqFilter(Long id, String reason, Long tenantId, Duration olderThan) {

    public static DlqFilter all() {
        return new DlqFilter(null, null, null, null);
    }

    public static DlqFilter byId(long id) {
        return new DlqFilter(id, null, null, null);
    }

    public static DlqFilter byReason(String reason) {
        return new DlqFilter(null, reason, null, null);
    }

    public DlqFilter withTenant(Long tenant) {
        return new DlqFilter(id, reason, tenant, olderThan);
    }

    public DlqFilter withOlderThan(Duration age) {
        return new DlqFilter(id, reason, tenantId, age);
    }

    /** True when nothing narrows the selection (replay refuses that: it would replay the whole DLQ). */
    public boolean selectsEverything() {
        return id == null && reason == null && tenantId == null && olderThan == null;
    }

    /** A SQL condition (never empty: {@code 1 = 1} for everything) with its bind values appended to {@code binds}. */
    String where(LocalDateTime now, List<Object> binds) {
        if (id != null) {
            binds.add(id);
            return "id = ?";
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

    /** For messages: {@code --id=3}, {@code --reason=x --tenant=7}, … */
    public String describe() {
        if (id != null) {
            return "--id=" + id;
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
        return parts.isEmpty() ? "(no filter)" : String.join(" ", parts);
    }
}

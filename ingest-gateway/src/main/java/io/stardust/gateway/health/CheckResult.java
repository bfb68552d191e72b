package io.stardust.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named check's verdict: {@code ok}, or a state saying what is wrong ({@code down}, {@code stalled},
 * {@code pending} before the first probe answered), a human detail and facts such as the consumer lag.
 */
public record CheckResult(String state, String detail, Map<String, Object> facts) {
    public static final String OK = "ok";

    public CheckResult {
        facts = Map.copyOf(facts);
    }

    public static CheckResult ok(Map<String, Object> facts) {
        return new CheckResult(OK, null, facts);
    }

    public static CheckResult failing(String state, String detail, Map<String, Object> facts) {
        return new CheckResult(state, detail, facts);
    }

    public boolean healthy() {
        return OK.equals(state);
    }

    /** {@code {"status": state, "detail": ..., facts...}} (detail only when there is one). */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", state);
        if (detail != null) {
            m.put("detail", detail);
        }
        m.putAll(facts);
        return m;
    }
}

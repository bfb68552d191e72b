package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.LifecycleCheckpoint;
import io.stardust.http.LifecycleJson;

/** How {@code lifecycle:status} and {@code model:describe} name a checkpoint's state, as text and as JSON. */
final class LifecycleLabels {
    private LifecycleLabels() {
    }

    /** e.g. {@code retyping string->int 40%}, {@code renamed from 'old', rewriting 40%}, {@code deleting: failed (...)}. */
    static String label(LifecycleCheckpoint c) {
        String doing = switch (c.operation()) {
            case RETYPE -> "retyping " + c.sourceType().wireName() + "->" + c.targetType().wireName();
            case BACKFILL -> "backfilling (promotion or relocation)";
            case RENAME -> c.previousName() == null ? "renamed" : "renamed from '" + c.previousName() + "', rewriting";
            case DELETE_FIELD, DELETE_MODEL -> "deleting";
        };
        return switch (c.status()) {
            case "running" -> doing + " " + c.percent() + "%";
            case "failed" -> doing + ": failed at " + c.percent() + "% (" + c.lastError() + ")";
            default -> doing + ": " + c.status();
        };
    }

    static ObjectNode json(LifecycleCheckpoint c) {
        ObjectNode o = LifecycleJson.checkpoint(c);
        o.put("label", label(c));
        return o;
    }
}

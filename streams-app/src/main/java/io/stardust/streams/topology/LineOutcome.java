package io.stardust.streams.topology;

import io.stardust.streams.wire.LineRejection;

/** What the validator decided about one line. */
sealed interface LineOutcome {
    /** The line as a gateway envelope, to be written to {@code stardust.entries} keyed by its tenant. */
    record Accepted(long tenantId, byte[] envelope) implements LineOutcome {
    }

    record Rejected(LineRejection reason, String message) implements LineOutcome {
    }
}

package io.stardust.streams;

import java.util.List;

/**
 * The closed vocabulary of the streams app's NDJSON events (source {@code streams}), as documented in the README.
 * Adding a name is a contract change.
 */
public final class StreamsEvents {
    public static final List<String> EVENTS = List.of(
            "streams_started", "streams_state_changed", "streams_stopped", "streams_failed",
            "registry_change_skipped", "import_record_skipped",
            "import_claimed", "import_resumed", "import_duplicate", "import_read", "import_failed",
            "import_transaction_aborted", "reader_failed", "import_reader_taken_over", "reader_lease_failed",
            "backfill_started", "backfill_chunk", "backfill_completed", "backfill_failed", "backfill_capacity_wait",
            "backfill_chunk_error", "backfill_checkpoint_skipped");

    private StreamsEvents() {
    }
}

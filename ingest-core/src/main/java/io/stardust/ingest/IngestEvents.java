package io.stardust.ingest;

import java.util.List;

/**
 * The closed vocabulary of the NDJSON events the ingest core logs: the batch writer's and the DLQ store's and
 * discarder's. They are logged under source {@code gateway}, the core's one user so far, and are part of the
 * gateway's documented vocabulary. Adding a name is a contract change.
 */
public final class IngestEvents {
    public static final List<String> EVENTS = List.of(
            "batch_retry", "batch_isolated", "partitions_fenced", "dlq_row_reduced", "dlq_row_discarded");

    private IngestEvents() {
    }
}

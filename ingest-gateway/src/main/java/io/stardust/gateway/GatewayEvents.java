package io.stardust.gateway;

import io.stardust.ingest.IngestEvents;
import java.util.List;
import java.util.stream.Stream;

/**
 * The closed vocabulary of the gateway's NDJSON events (source {@code gateway}), as documented in the README:
 * the gateway process, its consumer loop and relay ({@link #SHELL}), and the ingest core's writer and DLQ
 * ({@link IngestEvents}). Adding a name is a contract change.
 */
public final class GatewayEvents {
    /** Logged by this module's own classes. */
    public static final List<String> SHELL = List.of(
            "gateway_started", "partitions_assigned", "partitions_positioned", "partitions_revoked", "partitions_lost",
            "positions_unavailable", "batch_committed", "record_quarantined", "batch_failed", "relay_active", "relay_retry",
            "dlq_topic_send_failed", "drain_timeout", "gateway_drained", "gateway_stop_incomplete", "gateway_stopped",
            "gateway_failed", "consumer_close_failed");

    /** Everything a gateway process logs under source {@code gateway}. */
    public static final List<String> EVENTS = Stream.concat(SHELL.stream(), IngestEvents.EVENTS.stream()).toList();

    private GatewayEvents() {
    }
}

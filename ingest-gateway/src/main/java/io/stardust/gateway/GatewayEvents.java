package io.stardust.gateway;

import java.util.List;

/**
 * The closed vocabulary of the gateway's NDJSON events (source {@code gateway}), as documented in the README:
 * the gateway process, its writer and relay, and the DLQ commands. Adding a name is a contract change.
 */
public final class GatewayEvents {
    public static final List<String> EVENTS = List.of(
            "gateway_started", "partitions_assigned", "partitions_positioned", "partitions_revoked", "partitions_lost",
            "positions_unavailable", "batch_committed", "record_quarantined", "batch_retry", "batch_isolated",
            "partitions_fenced", "batch_failed", "dlq_row_reduced", "relay_active", "relay_retry", "dlq_topic_send_failed",
            "drain_timeout", "gateway_drained", "gateway_stop_incomplete", "gateway_stopped", "gateway_failed",
            "consumer_close_failed", "dlq_row_discarded");

    private GatewayEvents() {
    }
}

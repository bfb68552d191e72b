package io.stardust.connect.offsets;

import java.util.Map;

/**
 * The name positions are stored under in {@code stardust_ingest_offsets.consumer_group}: the connector's Kafka
 * consumer group, as the worker names it ({@code connect-<name>}, or {@code consumer.override.group.id}), so the
 * table reads like the group the offsets REST API speaks of.
 */
public final class ConnectorGroup {
    private ConnectorGroup() {
    }

    public static String of(Map<String, String> connectorConfig) {
        String override = connectorConfig.get("consumer.override.group.id");
        if (override != null && !override.isBlank()) {
            return override;
        }
        String name = connectorConfig.get("name");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the connector configuration has no 'name': cannot name its consumer group");
        }
        return "connect-" + name;
    }
}

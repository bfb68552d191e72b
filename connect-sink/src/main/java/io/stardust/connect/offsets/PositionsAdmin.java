package io.stardust.connect.offsets;

import io.stardust.engine.db.Tx;
import io.stardust.ingest.positions.OffsetStore;
import io.stardust.ingest.source.SourcePartition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;

/**
 * Moves or resets a connector's positions in MySQL for the offsets REST API (KIP-875), in one transaction.
 * Kafka calls {@code alterOffsets} with the partitions its consumer group knows; the connector never commits
 * offsets to Kafka, so a reset ({@code DELETE /connectors/{name}/offsets}) arrives with no partitions or only
 * nulls: that removes every position of the connector, and its next start consumes every topic from the
 * beginning. Otherwise each partition with an offset is moved there, each with null loses its position.
 */
public final class PositionsAdmin {
    private final DataSource ds;

    public PositionsAdmin(DataSource ds) {
        this.ds = ds;
    }

    public void apply(String group, Map<TopicPartition, Long> offsets, LocalDateTime now) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Tx.inTransaction(c, tx -> {
                if (offsets.values().stream().allMatch(v -> v == null)) {
                    try (PreparedStatement ps = tx.prepareStatement("DELETE FROM stardust_ingest_offsets WHERE consumer_group = ?")) {
                        ps.setString(1, group);
                        ps.executeUpdate();
                    }
                    return null;
                }
                Map<SourcePartition, Long> moved = new HashMap<>();
                for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                    SourcePartition sp = new SourcePartition(e.getKey().topic(), e.getKey().partition());
                    if (e.getValue() == null) {
                        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM stardust_ingest_offsets"
                                + " WHERE consumer_group = ? AND topic = ? AND kafka_partition = ?")) {
                            ps.setString(1, group);
                            ps.setString(2, sp.topic());
                            ps.setInt(3, sp.partition());
                            ps.executeUpdate();
                        }
                    } else {
                        moved.put(sp, e.getValue());
                    }
                }
                OffsetStore.save(tx, group, moved, OffsetStore.load(tx, group, moved.keySet(), true), now);
                return null;
            });
        }
    }
}

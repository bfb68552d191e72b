package io.stardust.ingest.positions;

import io.stardust.ingest.source.SourcePartition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Consumed positions, kept in MySQL ({@code stardust_ingest_offsets}) instead of Kafka so they commit in the same
 * transaction as the entries they cover. {@code next_offset} is the offset of the next record to consume.
 */
public final class OffsetStore {
    private OffsetStore() {
    }

    /** Stored positions of the partitions; partitions never committed are absent. */
    public static Map<SourcePartition, Long> load(Connection c, String group, Collection<SourcePartition> partitions,
                                                 boolean forUpdate) throws SQLException {
        Map<SourcePartition, Long> out = new HashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        StringBuilder sql = new StringBuilder("SELECT topic, kafka_partition, next_offset FROM stardust_ingest_offsets"
                + " WHERE consumer_group = ? AND (topic, kafka_partition) IN (");
        int i = 0;
        for (SourcePartition ignored : partitions) {
            sql.append(i++ == 0 ? "(?, ?)" : ", (?, ?)");
        }
        sql.append(')');
        if (forUpdate) {
            sql.append(" FOR UPDATE");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            ps.setString(p++, group);
            for (SourcePartition tp : partitions) {
                ps.setString(p++, tp.topic());
                ps.setInt(p++, tp.partition());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new SourcePartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return out;
    }

    /**
     * Stores new positions. Rows that existed are updated; missing ones are inserted without an upsert clause, so
     * two gateways racing to create the same row collide (duplicate key or deadlock) instead of both winning.
     */
    public static void save(Connection c, String group, Map<SourcePartition, Long> next, Map<SourcePartition, Long> existing,
                            LocalDateTime now) throws SQLException {
        for (Map.Entry<SourcePartition, Long> e : next.entrySet()) {
            SourcePartition tp = e.getKey();
            String sql = existing.containsKey(tp)
                    ? "UPDATE stardust_ingest_offsets SET next_offset = ?, updated_at = ? WHERE consumer_group = ? AND topic = ? AND kafka_partition = ?"
                    : "INSERT INTO stardust_ingest_offsets (next_offset, updated_at, consumer_group, topic, kafka_partition) VALUES (?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, e.getValue());
                ps.setObject(2, now);
                ps.setString(3, group);
                ps.setString(4, tp.topic());
                ps.setInt(5, tp.partition());
                ps.executeUpdate();
            }
        }
    }
}

package io.stardust.gateway.consumer;

import io.stardust.ingest.positions.OffsetStore;
import io.stardust.ingest.source.SourcePartition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import javax.sql.DataSource;

/** Reads the positions a consumer seeks to: the next offsets stored with the data. */
@FunctionalInterface
public interface StoredPositions {
    /** Stored next offsets of these partitions; partitions never committed are absent. */
    Map<SourcePartition, Long> load(Collection<SourcePartition> partitions) throws SQLException;

    /** The positions in {@code stardust_ingest_offsets} under this consumer group (a plain, non-locking read). */
    static StoredPositions mysql(DataSource ds, String group) {
        return partitions -> {
            try (Connection c = ds.getConnection()) {
                return OffsetStore.load(c, group, partitions, false);
            }
        };
    }
}

package io.stardust.engine.lifecycle;

import io.stardust.engine.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Gives up a checkpoint lease early, so another driver takes the checkpoint over at once instead of at expiry. */
public final class CheckpointLeases {
    private final DataSource ds;

    public CheckpointLeases(DataSource ds) {
        this.ds = ds;
    }

    /** Releases checkpoint {@code checkpointId} if {@code lease}'s owner holds it; true when it did. */
    public boolean release(CheckpointLease lease, long checkpointId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Sql.update(c, "UPDATE backfill_checkpoints SET claimed_by = NULL, lease_until = NULL"
                    + " WHERE id = ? AND claimed_by = ?", checkpointId, lease.owner()) > 0;
        }
    }
}

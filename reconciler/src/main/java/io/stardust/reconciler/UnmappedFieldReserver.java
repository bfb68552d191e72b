package io.stardust.reconciler;

import io.stardust.NonFilterableFieldSlotException;
import io.stardust.engine.db.DbErrorKind;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.slot.SlotReserver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The exhaustion reservation: when a queued entry stalls because a filterable field has no live
 * slot, reserve an <em>indexed</em> free slot ({@code assigned}) for each such field of the entry's own model, each
 * in its own transaction. Losing a race to another worker (the live-slot unique index: 1062, or 1205/1213 while the
 * rival is still open) or to a concurrent demotion is not an error and is not counted; the next tick sees the
 * rival's slot. Returns how many slots were reserved.
 */
public final class UnmappedFieldReserver {
    private final DataSource ds;
    private final SlotReserver reserver;

    public UnmappedFieldReserver(DataSource ds, SlotReserver reserver) {
        this.ds = ds;
        this.reserver = reserver;
    }

    public int reserve(long entryId, List<String> fieldNames) {
        if (fieldNames.isEmpty()) {
            return 0;
        }
        List<Long> fieldIds = Tx.withConnection(ds, c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id FROM stardust_fields f"
                    + " JOIN entry_data e ON e.model_id = f.model_id WHERE e.id = ? AND f.is_filterable = 1"
                    + " AND f.name IN (" + Sql.placeholders(fieldNames.size()) + ") ORDER BY f.id")) {
                ps.setLong(1, entryId);
                for (int i = 0; i < fieldNames.size(); i++) {
                    ps.setString(i + 2, fieldNames.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
        int reserved = 0;
        for (long fieldId : fieldIds) {
            try {
                if (reserver.reserveForExhaustionBackfill(fieldId).isPresent()) {
                    reserved++;
                }
            } catch (NonFilterableFieldSlotException demotedMeanwhile) {
                // the field stopped being filterable since the query above: nothing to reserve
            } catch (RuntimeException e) {
                if (!Sql.isDuplicateKey(e) && !DbErrorKind.CONFLICT.matches(e)) {
                    throw e;
                }
            }
        }
        return reserved;
    }
}

package io.stardust.reconciler;

import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Read-only view of the DLQ for {@code reconciler:dlq:list}: oldest first, filtered, with a total count. */
public final class DlqLister {
    private final DataSource ds;
    private final UtcClock clock;

    public DlqLister(DataSource ds, UtcClock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** A page of matching rows (at most the filter's limit) and how many match in total. */
    public record Listing(List<DlqEntry> rows, long total) {
    }

    public Listing list(DlqFilter filter) {
        return Tx.withConnection(ds, c -> {
            List<Object> binds = new ArrayList<>();
            LocalDateTime now = clock.now();
            String where = filter.where(now, binds);
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM stardust_reconciler_dlq WHERE " + where)) {
                Sql.bind(ps, binds);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<DlqEntry> rows = DlqRows.select(c, filter, now, false);
            return new Listing(rows, total);
        });
    }
}

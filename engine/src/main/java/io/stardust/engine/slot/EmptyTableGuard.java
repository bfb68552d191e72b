package io.stardust.engine.slot;

import io.stardust.PopulatedPageDDLException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Refuses DDL on a page table that holds rows. */
public final class EmptyTableGuard {
    private EmptyTableGuard() {
    }

    public static void requireEmpty(Connection c, String table) throws SQLException {
        PageLayout.requirePageTable(table);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            if (rs.next()) {
                throw new PopulatedPageDDLException("page table " + table + " holds rows; DDL on it is refused");
            }
        }
    }
}

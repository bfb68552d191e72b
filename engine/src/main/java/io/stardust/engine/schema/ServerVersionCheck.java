package io.stardust.engine.schema;

import io.stardust.UnsupportedServerException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses MariaDB and MySQL older than 8.0.13 (the functional unique index needs it) before anything is touched.
 * Upstream left this to its test suite (quirk Q8); we check at bootstrap.
 */
public final class ServerVersionCheck {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private ServerVersionCheck() {
    }

    public static void require(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION(), @@version_comment")) {
            rs.next();
            check(rs.getString(1), rs.getString(2));
        }
    }

    /** Throws {@link UnsupportedServerException} unless {@code version} is MySQL 8.0.13 or later. */
    public static void check(String version, String comment) {
        String both = (version + " " + comment).toLowerCase(java.util.Locale.ROOT);
        if (both.contains("mariadb")) {
            throw new UnsupportedServerException("StarDust needs MySQL 8.0.13 or later; this server is MariaDB ("
                    + version + "), which lacks the functional unique index and JSON semantics StarDust relies on");
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            throw new UnsupportedServerException("cannot read the server version '" + version + "'; StarDust needs MySQL 8.0.13 or later");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        boolean ok = major > 8 || (major == 8 && (minor > 0 || patch >= 13));
        if (!ok) {
            throw new UnsupportedServerException("StarDust needs MySQL 8.0.13 or later (functional indexes); this server is "
                    + version);
        }
    }
}

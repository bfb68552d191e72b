package io.stardust.registry.mirror;

import io.stardust.config.ConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MySQL server and database the mirror reads, taken from the engine's JDBC URL: Debezium connects by host and
 * port, and captures the registry tables of this one database.
 */
public record MySqlTarget(String jdbcUrl, String host, int port, String database) {
    private static final Pattern URL = Pattern.compile("jdbc:mysql://([^/:?,]+)(?::(\\d+))?/([^/?]+)(?:\\?.*)?");

    public static MySqlTarget parse(String jdbcUrl) {
        Matcher m = URL.matcher(jdbcUrl.trim());
        if (!m.matches()) {
            throw new ConfigException("dsn '" + jdbcUrl + "' is not a single-host MySQL JDBC URL with a database"
                    + " (jdbc:mysql://host[:port]/database[?options]); the registry mirror needs both");
        }
        int port = m.group(2) == null ? 3306 : Integer.parseInt(m.group(2));
        return new MySqlTarget(jdbcUrl.trim(), m.group(1), port, m.group(3));
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + database;
    }
}

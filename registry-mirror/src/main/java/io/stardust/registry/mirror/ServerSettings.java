package io.stardust.registry.mirror;

import io.stardust.registry.mirror.MirrorRefusedException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the mirror needs from MySQL, read once at start with the mirror's own credentials, and the check of it.
 * Debezium would fail later and less clearly (or, with a partial row image, publish incomplete rows); this
 * refuses before anything runs, naming the setting and the fix.
 *
 * @param globalPrivileges privileges granted ON *.* to the current user
 * @param schemaPrivileges privileges granted ON database.* to the current user
 * @param replicaServerIds server ids of replicas registered with the server
 */
public record ServerSettings(boolean logBin, String binlogFormat, String binlogRowImage, String binlogRowValueOptions,
                             long serverId, Set<String> globalPrivileges, Set<String> schemaPrivileges,
                             List<Long> replicaServerIds, String currentUser) {

    /** Privileges the snapshot (global read lock: RELOAD) and the binlog stream need. */
    static final List<String> REQUIRED_GLOBAL = List.of("REPLICATION SLAVE", "REPLICATION CLIENT", "RELOAD");

    public static ServerSettings read(Connection c, String database) throws SQLException {
        boolean logBin;
        String format;
        String image;
        String valueOptions;
        long serverId;
        String user;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format,"
                + " @@GLOBAL.binlog_row_image, @@GLOBAL.binlog_row_value_options, @@GLOBAL.server_id, CURRENT_USER()")) {
            rs.next();
            logBin = rs.getBoolean(1);
            format = rs.getString(2);
            image = rs.getString(3);
            valueOptions = rs.getString(4);
            serverId = rs.getLong(5);
            user = rs.getString(6);
        }
        String grantee = grantee(user);
        Set<String> global = privileges(c, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?",
                grantee, null);
        Set<String> schema = privileges(c, "SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES"
                + " WHERE GRANTEE = ? AND TABLE_SCHEMA = ?", grantee, database);
        List<Long> replicas = new ArrayList<>();
        if (global.contains("REPLICATION SLAVE")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW REPLICAS")) {
                while (rs.next()) {
                    replicas.add(rs.getLong("Server_Id"));
                }
            }
        }
        return new ServerSettings(logBin, format, image, valueOptions, serverId, global, schema, replicas, user);
    }

    /** {@code user@host} as information_schema writes grantees: {@code 'user'@'host'}. */
    private static String grantee(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        return "'" + currentUser.substring(0, at) + "'@'" + currentUser.substring(at + 1) + "'";
    }

    private static Set<String> privileges(Connection c, String sql, String grantee, String database) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, grantee);
            if (database != null) {
                ps.setString(2, database);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** Throws {@link MirrorRefusedException} for the first setting the mirror cannot work with. */
    public void check(long mirrorServerId, String database) {
        if (!logBin) {
            throw new MirrorRefusedException(Reason.BINLOG_OFF, "MySQL has the binary log off (log_bin=OFF); the registry"
                    + " mirror reads the binlog: start mysqld with --log-bin");
        }
        if (!"ROW".equalsIgnoreCase(binlogFormat)) {
            throw new MirrorRefusedException(Reason.BINLOG_FORMAT, "MySQL binlog_format is " + binlogFormat
                    + "; the registry mirror needs ROW (SET PERSIST binlog_format = 'ROW')");
        }
        if (!"FULL".equalsIgnoreCase(binlogRowImage)) {
            throw new MirrorRefusedException(Reason.BINLOG_ROW_IMAGE, "MySQL binlog_row_image is " + binlogRowImage
                    + "; the registry mirror needs FULL to publish whole before and after rows"
                    + " (SET PERSIST binlog_row_image = 'FULL')");
        }
        if (binlogRowValueOptions != null && binlogRowValueOptions.toUpperCase(Locale.ROOT).contains("PARTIAL_JSON")) {
            throw new MirrorRefusedException(Reason.BINLOG_ROW_VALUE_OPTIONS, "MySQL binlog_row_value_options is "
                    + binlogRowValueOptions + "; JSON columns would be logged as partial diffs: the registry mirror needs"
                    + " it empty (SET PERSIST binlog_row_value_options = '')");
        }
        if (mirrorServerId == serverId) {
            throw new MirrorRefusedException(Reason.SERVER_ID, "registryMirrorServerId " + mirrorServerId
                    + " is the MySQL server's own server_id; choose another id");
        }
        if (replicaServerIds.contains(mirrorServerId)) {
            throw new MirrorRefusedException(Reason.SERVER_ID, "registryMirrorServerId " + mirrorServerId
                    + " is already used by a replica of this server (SHOW REPLICAS); choose another id");
        }
        List<String> missing = new ArrayList<>();
        for (String p : REQUIRED_GLOBAL) {
            if (!globalPrivileges.contains(p)) {
                missing.add(p);
            }
        }
        if (!globalPrivileges.contains("SELECT") && !schemaPrivileges.contains("SELECT")) {
            missing.add("SELECT");
        }
        if (!missing.isEmpty()) {
            throw new MirrorRefusedException(Reason.GRANTS, "MySQL user " + currentUser + " lacks " + String.join(", ", missing)
                    + "; the registry mirror needs: GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO "
                    + currentUser + " (SELECT may instead be granted ON `" + database + "`.*)");
        }
    }
}

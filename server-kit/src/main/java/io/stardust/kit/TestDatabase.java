package io.stardust.kit;

/**
 * A database of its own on the shared test server, handed to each test class by {@link MySqlExtension}.
 *
 * @param server the running server (for crash and restart tests)
 * @param name   the database name, unique to the test class
 */
public record TestDatabase(EmbeddedMySql server, String name) {

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** Drops and re-creates this database, empty. */
    public void reset() {
        server.recreateDatabase(name);
    }
}

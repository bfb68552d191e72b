package io.stardust;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.engine.export.ExportOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine's options: connection and engine-wide settings. Each deployable adds its own options next to these
 * (see each module's {@code *Config}). Environment variables are {@code STARDUST_} + the key in upper snake case.
 */
public record StarDustConfig(String dsn, String user, String password, int poolSize, Path artifactDir,
                             FilterLimits filterLimits, String lockNamespace, int exportActiveCap) {

    public static final ConfigOption<String> DSN = ConfigOption.string("dsn", null,
            "JDBC URL of the MySQL 8 database, e.g. jdbc:mysql://127.0.0.1:3306/stardust");
    public static final ConfigOption<String> USER = ConfigOption.string("user", null, "Database user.");
    public static final ConfigOption<String> PASS = ConfigOption.secret("pass", "", "Database password.");
    public static final ConfigOption<Integer> POOL_SIZE = ConfigOption.integer("poolSize", 10,
            "Maximum connections in the pool.").between(1, 500);
    public static final ConfigOption<String> ARTIFACT_DIR = ConfigOption.string("artifactDir",
            Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(),
            "Directory for async import payloads and export artifacts (created on demand).");
    public static final ConfigOption<Integer> FILTER_MAX_DEPTH = ConfigOption.integer("queryFilterMaxDepth", 8,
            "Maximum nesting depth of a wire-format filter.").atLeast(1);
    public static final ConfigOption<Integer> FILTER_MAX_NODES = ConfigOption.integer("queryFilterMaxNodes", 256,
            "Maximum number of nodes in a wire-format filter.").atLeast(1);
    public static final ConfigOption<Integer> FILTER_MAX_ARGS = ConfigOption.integer("queryFilterMaxArgs", 64,
            "Maximum children of one and/or node.").atLeast(1);
    public static final ConfigOption<Integer> FILTER_MAX_IN_ELEMENTS = ConfigOption.integer("queryFilterMaxInElements",
            1024, "Maximum values of one in/nin leaf.").atLeast(1);
    public static final ConfigOption<Integer> FILTER_MAX_STRING_LENGTH = ConfigOption.integer(
            "queryFilterMaxStringLength", 4096, "Maximum length of a filter string value, in code points.").atLeast(1);
    public static final ConfigOption<Integer> FILTER_MAX_PAYLOAD_BYTES = ConfigOption.integer(
            "queryFilterMaxPayloadBytes", 65_536, "Maximum size of a wire-format filter document, in bytes.").atLeast(1);
    public static final ConfigOption<String> LOCK_NAMESPACE = ConfigOption.string("lockNamespace", null,
            "Namespace of the advisory lock names (suffix: '_' + the first 12 hex digits of its SHA-1); unset, the "
                    + "database name. Installations that share one MySQL server never share a lock.")
            .withValidator(v -> v.isEmpty() ? "must not be empty (leave it unset for the database name)" : null);

    public static final List<ConfigOption<?>> OPTIONS = List.of(DSN, USER, PASS, POOL_SIZE, ARTIFACT_DIR,
            FILTER_MAX_DEPTH, FILTER_MAX_NODES, FILTER_MAX_ARGS, FILTER_MAX_IN_ELEMENTS, FILTER_MAX_STRING_LENGTH,
            FILTER_MAX_PAYLOAD_BYTES, LOCK_NAMESPACE);

    /** The export cap at its default ({@link ExportOptions#PER_TENANT_ACTIVE_CAP}). */
    public StarDustConfig(String dsn, String user, String password, int poolSize, Path artifactDir,
                          FilterLimits filterLimits, String lockNamespace) {
        this(dsn, user, password, poolSize, artifactDir, filterLimits, lockNamespace,
                ExportOptions.PER_TENANT_ACTIVE_CAP.defaultValue());
    }

    /** {@code lockNamespace} null: the advisory locks are namespaced by the database name. */
    public StarDustConfig(String dsn, String user, String password, int poolSize, Path artifactDir,
                          FilterLimits filterLimits) {
        this(dsn, user, password, poolSize, artifactDir, filterLimits, null);
    }

    public static ConfigDef definition() {
        return ConfigDef.of(OPTIONS);
    }

    /** Builds the engine config from resolved values; the connection options are required. */
    public static StarDustConfig from(ConfigValues v) {
        return new StarDustConfig(v.require(DSN), v.require(USER), v.get(PASS), v.get(POOL_SIZE),
                Path.of(v.get(ARTIFACT_DIR)), filterLimitsFrom(v), v.get(LOCK_NAMESPACE),
                v.get(ExportOptions.PER_TENANT_ACTIVE_CAP));
    }

    /** Just the filter limits, for tools that decode filters without a database (no connection option needed). */
    public static FilterLimits filterLimitsFrom(ConfigValues v) {
        return new FilterLimits(v.get(FILTER_MAX_DEPTH), v.get(FILTER_MAX_NODES), v.get(FILTER_MAX_ARGS),
                v.get(FILTER_MAX_IN_ELEMENTS), v.get(FILTER_MAX_STRING_LENGTH), v.get(FILTER_MAX_PAYLOAD_BYTES));
    }

    /** A config for a connection, everything else at its default. */
    public static StarDustConfig of(String dsn, String user, String password) {
        return new StarDustConfig(dsn, user, password, POOL_SIZE.defaultValue(), Path.of(ARTIFACT_DIR.defaultValue()),
                FilterLimits.DEFAULTS);
    }

    public StarDustConfig withArtifactDir(Path dir) {
        return new StarDustConfig(dsn, user, password, poolSize, dir, filterLimits, lockNamespace, exportActiveCap);
    }

    public StarDustConfig withPoolSize(int size) {
        return new StarDustConfig(dsn, user, password, size, artifactDir, filterLimits, lockNamespace, exportActiveCap);
    }

    public StarDustConfig withLockNamespace(String namespace) {
        return new StarDustConfig(dsn, user, password, poolSize, artifactDir, filterLimits, namespace, exportActiveCap);
    }

    public StarDustConfig withExportActiveCap(int cap) {
        return new StarDustConfig(dsn, user, password, poolSize, artifactDir, filterLimits, lockNamespace, cap);
    }

    /** Wire-format filter limits. */
    public record FilterLimits(int maxDepth, int maxNodes, int maxArgs, int maxInElements, int maxStringLength,
                               int maxPayloadBytes) {
        public static final FilterLimits DEFAULTS = new FilterLimits(8, 256, 64, 1024, 4096, 65_536);
    }

    @Override
    public String toString() {
        return "StarDustConfig[dsn=" + dsn + ", user=" + user + ", poolSize=" + poolSize + ", artifactDir=" + artifactDir + "]";
    }
}

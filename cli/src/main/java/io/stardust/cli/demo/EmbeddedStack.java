package io.stardust.cli.demo;

import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.gateway.GatewayConfig;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.EmbeddedMySql;
import io.stardust.kit.KafkaOptions;
import io.stardust.kit.MySqlOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Embedded MySQL 8 and Kafka 4.3 on free local ports, a bootstrapped database with the entry topics, and the
 * gateway's configuration for them. Used by the demo and the benchmarks.
 *
 * <p>With {@code keepMySql} the MySQL data directory is {@code <workDir>/mysql/data} and outlives the stack, so
 * {@link #resumeMySql} can start a server on it again (the demo's {@code --resume}); the database itself is
 * re-created empty on every start. Kafka's data is always deleted on close.
 */
public final class EmbeddedStack implements AutoCloseable {
    private final EmbeddedMySql mysql;
    private final EmbeddedKafka kafka;
    private final String database;
    private final StarDust engine;

    public EmbeddedStack(Path workDir, String database, int topicPartitions) {
        this(workDir, database, topicPartitions, false, false);
    }

    /**
     * @param keepMySql    the MySQL data outlives the stack (see the class comment)
     * @param durableMySql MySQL fsyncs its redo log and binlog at every commit (the benchmarks, whose figures are
     *                     compared with other systems), instead of the server kit's fast test settings (the demo)
     */
    public EmbeddedStack(Path workDir, String database, int topicPartitions, boolean keepMySql, boolean durableMySql) {
        // absolute: mysqld resolves a relative datadir against its basedir
        Path work = workDir.toAbsolutePath();
        System.err.println("starting embedded MySQL and Kafka under " + work + " ...");
        MySqlOptions options = mysqlOptions(work).withDurable(durableMySql);
        this.mysql = keepMySql ? EmbeddedMySql.start(options.withKeepData(true), keptMySqlDir(work)) : EmbeddedMySql.start(options);
        this.kafka = EmbeddedKafka.start(KafkaOptions.forTests(work).withJvmFlags(List.of("-XX:+UseG1GC")).withMaxHeapMb(768));
        this.database = database;
        mysql.recreateDatabase(database);
        this.engine = StarDust.connect(StarDustConfig.of(mysql.jdbcUrl(database), mysql.user(), mysql.password()));
        engine.bootstrap();
        kafka.createTopic("stardust.entries", topicPartitions);
        kafka.createTopic("stardust.entries.events", topicPartitions);
    }

    private static MySqlOptions mysqlOptions(Path work) {
        return MySqlOptions.forTests(work).withBufferPoolBytes(512L << 20);
    }

    /** Where a kept MySQL lives under the work directory: {@code <workDir>/mysql}, its data in {@code data}. */
    public static Path keptMySqlDir(Path workDir) {
        return workDir.toAbsolutePath().resolve("mysql");
    }

    /** Starts MySQL again on the data a stack with {@code keepMySql} left under {@code workDir}; keeps it on close. */
    public static EmbeddedMySql resumeMySql(Path workDir) {
        Path work = workDir.toAbsolutePath();
        return EmbeddedMySql.start(mysqlOptions(work).withKeepData(true), keptMySqlDir(work));
    }

    public EmbeddedMySql mysql() {
        return mysql;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public String database() {
        return database;
    }

    public StarDust engine() {
        return engine;
    }

    /** A model whose filterable fields hold indexed slots, so it is queryable without the daemons. */
    public ModelDefinition model(long tenant, String name, FieldSpec... fields) {
        ModelDefinition def = engine.defineModel(tenant, name, List.of(fields));
        engine.ensureSlots(tenant, def.modelId());
        return def;
    }

    public static FieldSpec[] companyFields() {
        return new FieldSpec[] {new FieldSpec("name", DeclaredType.STRING, true), new FieldSpec("employees", DeclaredType.INT, true),
            new FieldSpec("revenue", DeclaredType.NUMERIC, true), new FieldSpec("founded", DeclaredType.DATETIME, true),
            new FieldSpec("note", DeclaredType.STRING, false)};
    }

    public GatewayConfig gatewayConfig(Map<String, String> extra) {
        Properties p = new Properties();
        p.put("dsn", mysql.jdbcUrl(database));
        p.put("user", mysql.user());
        p.put("pass", mysql.password());
        p.put("kafkaBootstrap", kafka.bootstrapServers());
        p.put("gatewayInstanceId", "embedded-1");
        p.put("gatewayMetricsPort", "0");
        p.putAll(extra);
        ConfigDef def = GatewayConfig.definition();
        return GatewayConfig.from(def.resolve(p, Map.of()));
    }

    @Override
    public void close() {
        engine.close();
        kafka.close();
        mysql.close();
    }
}

package io.stardust.bench;

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

/** Embedded MySQL 8 and Kafka 4.3 on free local ports, a database, and the gateway's configuration for them. */
final class EmbeddedStack implements AutoCloseable {
    final EmbeddedMySql mysql;
    final EmbeddedKafka kafka;
    final String database;
    final StarDust engine;

    EmbeddedStack(String database, int topicPartitions) {
        // absolute: mysqld resolves a relative datadir against its basedir
        Path work = Path.of("target", "embedded").toAbsolutePath();
        System.err.println("starting embedded MySQL and Kafka under " + work.toAbsolutePath() + " ...");
        this.mysql = EmbeddedMySql.start(MySqlOptions.forTests(work).withBufferPoolBytes(512L << 20));
        this.kafka = EmbeddedKafka.start(KafkaOptions.forTests(work).withJvmFlags(List.of("-XX:+UseG1GC")).withMaxHeapMb(768));
        this.database = database;
        mysql.recreateDatabase(database);
        this.engine = StarDust.connect(StarDustConfig.of(mysql.jdbcUrl(database), mysql.user(), mysql.password()));
        engine.bootstrap();
        kafka.createTopic("stardust.entries", topicPartitions);
        kafka.createTopic("stardust.entries.events", topicPartitions);
    }

    /** A model whose filterable fields hold indexed slots on a fresh page. */
    ModelDefinition model(long tenant, String name, FieldSpec... fields) {
        ModelDefinition def = engine.defineModel(tenant, name, List.of(fields));
        java.util.List<String> indexed = new java.util.ArrayList<>();
        Map<String, Integer> next = new java.util.HashMap<>();
        for (FieldSpec f : fields) {
            if (f.filterable()) {
                indexed.add(String.format("i_%s_%02d", f.type().family(), next.merge(f.type().family(), 1, Integer::sum)));
            }
        }
        engine.provisionPage(indexed);
        for (FieldSpec f : fields) {
            if (f.filterable()) {
                engine.reserveSlot(def.fieldId(f.name())).orElseThrow();
            }
        }
        return def;
    }

    static FieldSpec[] companyFields() {
        return new FieldSpec[] {new FieldSpec("name", DeclaredType.STRING, true), new FieldSpec("employees", DeclaredType.INT, true),
            new FieldSpec("revenue", DeclaredType.NUMERIC, true), new FieldSpec("founded", DeclaredType.DATETIME, true),
            new FieldSpec("note", DeclaredType.STRING, false)};
    }

    GatewayConfig gatewayConfig(Map<String, String> extra) {
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

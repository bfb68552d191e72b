package io.stardust.connect;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.connect.config.SinkConfig;
import io.stardust.connect.offsets.ConnectorGroup;
import io.stardust.connect.offsets.PositionsAdmin;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.UtcClock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * StarDust as a Kafka Connect sink: entry records from Kafka into MySQL, effectively once, through the ingest
 * core. Every task gets the connector's configuration; positions live in MySQL under the connector's consumer
 * group name, and {@link #alterOffsets} moves them for the offsets REST API.
 */
public final class StarDustSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        Map<String, List<String>> problems = SinkConfig.crossFieldProblems(props);
        if (!problems.isEmpty()) {
            throw new ConnectException("invalid StarDust sink configuration: " + problems);
        }
        new SinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return StarDustSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            out.add(props);
        }
        return out;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return SinkConfig.DEF;
    }

    /** The per-option validation, then the problems between options, each on its key. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, List<String>> problems = SinkConfig.crossFieldProblems(connectorConfigs);
        for (ConfigValue v : config.configValues()) {
            problems.getOrDefault(v.name(), List.of()).forEach(v::addErrorMessage);
        }
        return config;
    }

    /**
     * KIP-875: {@code PATCH} / {@code DELETE /connectors/{name}/offsets} (connector stopped) move or reset the
     * positions stored in MySQL, which are the ones the tasks resume from.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        SinkConfig cfg = new SinkConfig(connectorConfig);
        StarDustConfig engine = cfg.engine();
        String group = ConnectorGroup.of(connectorConfig);
        try (HikariDataSource pool = Pools.open(engine.dsn(), engine.user(), engine.password(), 1, "stardust-connect-offsets")) {
            StarDust.create(pool, engine, Clock.systemUTC()).bootstrap();
            new PositionsAdmin(pool).apply(group, offsets, new UtcClock(Clock.systemUTC()).now());
            return true;
        } catch (Exception e) {
            throw new ConnectException("cannot change the positions of " + group + " in MySQL (" + engine.dsn() + "): "
                    + e.getMessage(), e);
        }
    }
}

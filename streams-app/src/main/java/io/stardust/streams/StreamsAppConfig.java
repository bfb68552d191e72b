package io.stardust.streams;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.streams.backfill.BackfillConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The streams app's settings, declared once (key, default, documentation, validation); environment variables are
 * {@code STARDUST_} + the key in upper snake case. The README's configuration table is {@link #definition()}'s
 * {@code markdownTable()}. The import half reads no MySQL: it needs Kafka and the drop directory only; the backfill
 * half ({@link BackfillConfig}, only with {@code backfillDriver=streams}) runs chunks on MySQL.
 */
public record StreamsAppConfig(String kafkaBootstrap, Path dropDir, Duration minFileAge, Duration pollInterval,
                               int batchLines, int maxLineBytes, String readerId, String importsTopic,
                               String progressTopic, String rejectedTopic, String statusTopic, int importsPartitions,
                               String entriesTopic, String registryTopic, String applicationId, String stateDir,
                               Duration shutdownTimeout, String entryEventsTopic, Duration takeoverAfter) {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = ConfigOption.string("kafkaBootstrap", null,
            "Kafka bootstrap servers (host:port,...).");
    public static final ConfigOption<String> DROP_DIR = ConfigOption.string("importDropDir", null,
            "Drop directory of import files: NDJSON (*.ndjson, *.jsonl) anywhere below it, CSV (*.csv) under"
                    + " <tenantId>/<model>/, either optionally .gz. The app keeps processing/, done/ and error/ in it.");
    public static final ConfigOption<Duration> MIN_FILE_AGE = positive(ConfigOption.duration("importMinFileAge",
            Duration.ofSeconds(5), "A file is claimed only once it has not been modified for this long (a file written"
                    + " as *.partial and renamed when complete is safe at any age)."));
    public static final ConfigOption<Duration> POLL_INTERVAL = positive(ConfigOption.duration("importPollInterval",
            Duration.ofSeconds(1), "How often the drop directory is scanned when no file is being read."));
    public static final ConfigOption<Integer> BATCH_LINES = ConfigOption.integer("importBatchLines", 5000,
            "Lines sent per Kafka transaction, which also commits the file's read position.").between(1, 1_000_000);
    public static final ConfigOption<Integer> MAX_LINE_BYTES = ConfigOption.integer("importMaxLineBytes", 1 << 20,
            "Longer lines are not sent (rejected as too_large), so memory stays bounded whatever the file holds.")
            .between(64, 64 << 20);
    public static final ConfigOption<String> READER_ID = ConfigOption.string("importReaderId", "reader-1",
            "This instance's file reader: its claimed files are in processing/<id>/ and its Kafka transactional id is"
                    + " stardust-import-reader-<id>. Give every instance its own; a restart with the same id resumes its files.")
            .withValidator(v -> v.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") ? null
                    : "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    public static final ConfigOption<Duration> TAKEOVER_AFTER = positive(ConfigOption.duration("importReaderTakeoverAfter",
            Duration.ofSeconds(60), "A reader whose lease (processing/<id>.lease, renewed every few seconds while its"
                    + " process runs) is older than this is gone: another reader fences it and takes over its claimed files,"
                    + " resuming them after their committed line."));
    public static final ConfigOption<String> IMPORTS_TOPIC = ConfigOption.string("importsTopic", "stardust.imports",
            "Topic of file lines (key: tenant id), written by the file reader, read by the topology.");
    public static final ConfigOption<String> PROGRESS_TOPIC = ConfigOption.string("importsProgressTopic",
            "stardust.imports.progress", "Compacted topic of each import's committed read position (key: import id).");
    public static final ConfigOption<String> REJECTED_TOPIC = ConfigOption.string("importsRejectedTopic",
            "stardust.imports.rejected", "Topic of rejected lines with file, line and reason (key: import id).");
    public static final ConfigOption<String> STATUS_TOPIC = ConfigOption.string("importsStatusTopic",
            "stardust.imports.status", "Compacted topic of each import's counters (key: import id).");
    public static final ConfigOption<Integer> IMPORTS_PARTITIONS = ConfigOption.integer("importsTopicPartitions", 6,
            "Partitions of the imports and rejected topics when the app creates them (tenants are spread over them;"
                    + " instances split the partitions).").between(1, 10_000);
    public static final ConfigOption<String> ENTRIES_TOPIC = ConfigOption.string("gatewayTopic", "stardust.entries",
            "The ingest gateway's topic that accepted lines are written to (key: tenant id).");
    public static final ConfigOption<String> ENTRY_EVENTS_TOPIC = ConfigOption.string("gatewayEventsTopic",
            "stardust.entries.events", "The ingest gateway's entry events topic: an import line's event there (or its"
                    + " dead_lettered event) counts it as landed (or dead-lettered) for import:status.");
    public static final ConfigOption<String> REGISTRY_TOPIC = ConfigOption.string("registryMirrorTopic",
            "stardust.registry", "The registry mirror's topic that lines are validated against.");
    public static final ConfigOption<String> APPLICATION_ID = ConfigOption.string("streamsApplicationId",
            "stardust-streams", "Kafka Streams application.id: its consumer group and the prefix of its internal topics.");
    public static final ConfigOption<String> STATE_DIR = ConfigOption.string("streamsStateDir", "",
            "Kafka Streams state.dir (the per-import counters' local store); empty = Kafka's default under java.io.tmpdir.");
    public static final ConfigOption<Duration> SHUTDOWN_TIMEOUT = positive(ConfigOption.duration("streamsShutdownTimeout",
            Duration.ofSeconds(30), "After SIGTERM/SIGINT or the flag file <pidFileDir>/streams.shutdown, how long the"
                    + " reader's open transaction and the topology may take to finish."));

    public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.integer("streamsMetricsPort", -1,
            "Port of the streams app's status endpoint (/metrics: Kafka Streams' own metrics for Prometheus; /health: 200"
                    + " while the topology runs or rebalances) on streamsMetricsBindAddress; 0 = any free port, -1 = off.")
            .between(-1, 65_535);
    public static final ConfigOption<String> METRICS_BIND_ADDRESS = ConfigOption.string("streamsMetricsBindAddress",
            "127.0.0.1", "Address the streams app's status endpoint binds (0.0.0.0 for every interface, as in a container).");

    public static final List<ConfigOption<?>> OPTIONS = List.of(KAFKA_BOOTSTRAP, DROP_DIR, MIN_FILE_AGE, POLL_INTERVAL,
            BATCH_LINES, MAX_LINE_BYTES, READER_ID, TAKEOVER_AFTER, IMPORTS_TOPIC, PROGRESS_TOPIC, REJECTED_TOPIC, STATUS_TOPIC,
            IMPORTS_PARTITIONS, ENTRIES_TOPIC, ENTRY_EVENTS_TOPIC, REGISTRY_TOPIC, APPLICATION_ID, STATE_DIR, SHUTDOWN_TIMEOUT, METRICS_PORT,
            METRICS_BIND_ADDRESS);

    public static ConfigDef definition() {
        List<ConfigOption<?>> all = new ArrayList<>(OPTIONS);
        all.add(ProcessSettings.PID_FILE_DIR);
        all.addAll(BackfillConfig.OPTIONS);
        return ConfigDef.of(all);
    }

    public static StreamsAppConfig from(ConfigValues v) {
        return new StreamsAppConfig(v.require(KAFKA_BOOTSTRAP), Path.of(v.require(DROP_DIR)), v.get(MIN_FILE_AGE),
                v.get(POLL_INTERVAL), v.get(BATCH_LINES), v.get(MAX_LINE_BYTES), v.require(READER_ID),
                v.require(IMPORTS_TOPIC), v.require(PROGRESS_TOPIC), v.require(REJECTED_TOPIC), v.require(STATUS_TOPIC),
                v.get(IMPORTS_PARTITIONS), v.require(ENTRIES_TOPIC), v.require(REGISTRY_TOPIC), v.require(APPLICATION_ID),
                v.get(STATE_DIR), v.get(SHUTDOWN_TIMEOUT), v.require(ENTRY_EVENTS_TOPIC), v.get(TAKEOVER_AFTER));
    }

    private static ConfigOption<Duration> positive(ConfigOption<Duration> option) {
        return option.withValidator(d -> d.isNegative() || d.isZero() ? "must be positive" : null);
    }
}

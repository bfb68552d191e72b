package io.stardust.streams;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.daemon.status.StatusEndpoint;
import io.stardust.engine.event.EventLog;
import io.stardust.streams.backfill.BackfillConfig;
import io.stardust.streams.backfill.BackfillStreams;
import io.stardust.streams.drop.FileReader;
import io.stardust.streams.topology.ImportTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The streams app as a process ({@code bin/stardust streams}, or this class's {@code main} with {@code STARDUST_*}
 * variables and an optional {@code --config=FILE}): the file reader thread and the import topology
 * ({@code exactly_once_v2}), until SIGTERM, SIGINT or the flag file {@code <pidFileDir>/streams.shutdown}; then the
 * reader finishes its open transaction and the topology commits, exit 0. Exit 1 if either failed, 2 on a
 * configuration error or a missing registry topic. With {@code backfillDriver=streams} it also runs the backfill
 * topology ({@link BackfillStreams}), which drives lifecycle checkpoints tenant by tenant. The {@code main} exists
 * for child-JVM tests.
 */
public final class StreamsApp {
    public static final String NAME = "streams";

    private StreamsApp() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/stardust/streams/logback-ndjson.xml");
        }
        Path config = args.length > 0 && args[0].startsWith("--config=") ? Path.of(args[0].substring("--config=".length())) : null;
        System.exit(run(config, System.err));
    }

    public static int run(Path configFile, PrintStream err) {
        ConfigValues values;
        StreamsAppConfig cfg;
        BackfillConfig backfill;
        try {
            values = StreamsAppConfig.definition().resolve(configFile);
            cfg = StreamsAppConfig.from(values);
            backfill = BackfillConfig.from(values);
        } catch (ConfigException e) {
            err.println("stardust streams: " + e.getMessage());
            return ExitCode.USAGE;
        }
        EventLog events = new EventLog(NAME);
        ProcessSettings settings = new ProcessSettings(Path.of(values.get(ProcessSettings.PID_FILE_DIR)), cfg.shutdownTimeout());
        return ProcessRuntime.builder(NAME, settings).config(StreamsAppConfig.definition(), values).err(err)
                .refusals(ImportTopics.MissingRegistryTopicException.class).build()
                .run(stop -> {
                    ImportTopics.ensure(cfg);
                    CompletableFuture<Void> streamsFailed = new CompletableFuture<>();
                    KafkaStreams streams = new KafkaStreams(ImportTopology.build(new ImportTopology.Topics(cfg.registryTopic(),
                            cfg.importsTopic(), cfg.entriesTopic(), cfg.rejectedTopic(), cfg.statusTopic(), cfg.entryEventsTopic()), events),
                            streamsProperties(cfg));
                    streams.setStateListener((now, before) -> events.info("streams_state_changed", "from", before.name(),
                            "to", now.name()));
                    streams.setUncaughtExceptionHandler(e -> {
                        events.error("streams_failed", e, "reason", String.valueOf(e.getMessage()));
                        streamsFailed.completeExceptionally(e);
                        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    });
                    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
                    streamsMetrics.bindTo(meters);
                    int metricsPort = values.get(StreamsAppConfig.METRICS_PORT);
                    StatusEndpoint status = metricsPort < 0 ? null : StatusEndpoint.start("streams-status",
                            values.get(StreamsAppConfig.METRICS_BIND_ADDRESS), metricsPort, meters::scrape,
                            () -> health(streams.state()));
                    streams.start();
                    BackfillStreams backfills = backfill.drivesBackfills() ? BackfillStreams.start(
                            new BackfillStreams.Kafka(cfg.kafkaBootstrap(), cfg.applicationId(), cfg.registryTopic(),
                                    cfg.stateDir(), cfg.readerId()), backfill, Clock.systemUTC(), events) : null;
                    FileReader reader = FileReader.start(new FileReader.Settings(cfg.kafkaBootstrap(), cfg.readerId(),
                            cfg.minFileAge(), cfg.pollInterval(), cfg.importsTopic(), cfg.progressTopic(), cfg.batchLines(),
                            cfg.maxLineBytes(), cfg.takeoverAfter()), cfg.dropDir(), Clock.systemUTC(), events);
                    events.info("streams_started", "application_id", cfg.applicationId(), "drop_dir",
                            cfg.dropDir().toString(), "reader_id", cfg.readerId(), "metrics_url",
                            status == null ? "off" : status.url() + "/metrics");
                    try {
                        stop.awaitRequestOr(CompletableFuture.anyOf(reader.finished(), streamsFailed,
                                backfills == null ? new CompletableFuture<Void>() : backfills.failed()));
                    } finally {
                        reader.close();
                        if (backfills != null) {
                            backfills.close(cfg.shutdownTimeout());
                        }
                        streams.close(cfg.shutdownTimeout());
                        if (status != null) {
                            status.close();
                        }
                        streamsMetrics.close();
                        meters.close();
                    }
                    events.info("streams_stopped");
                    if (reader.finished().isCompletedExceptionally()) {
                        reader.finished().join(); // rethrows: exit 1
                    }
                    if (streamsFailed.isCompletedExceptionally()) {
                        streamsFailed.join();
                    }
                    if (backfills != null && backfills.failed().isCompletedExceptionally()) {
                        backfills.failed().join();
                    }
                    return ExitCode.OK;
                }).exitCode();
    }

    /** 200 while the topology runs or rebalances; 503 naming the state otherwise. */
    private static StatusEndpoint.Health health(KafkaStreams.State state) {
        return state.isRunningOrRebalancing() ? StatusEndpoint.Health.ok()
                : new StatusEndpoint.Health(false, "{\"status\":\"degraded\",\"checks\":{\"streams\":\"" + state.name() + "\"}}");
    }

    static Properties streamsProperties(StreamsAppConfig cfg) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (!cfg.stateDir().isBlank()) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, cfg.stateDir());
        }
        return p;
    }
}

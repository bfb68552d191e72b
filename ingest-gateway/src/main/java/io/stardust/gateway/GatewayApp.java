package io.stardust.gateway;

import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.engine.crash.HoldPoints;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway as a process ({@code bin/stardust gateway}, or this class's {@code main} with {@code STARDUST_*}
 * variables and an optional {@code --config=FILE}): runs until SIGTERM, SIGINT or the flag file
 * {@code <pidFileDir>/gateway.shutdown}, then drains the batch in flight and exits 0;
 * 1 if the gateway failed, 2 on a configuration error. The {@code main} exists for the child-JVM tests, whose
 * classpath has no command line.
 */
public final class GatewayApp {
    public static final String NAME = "gateway";
    /**
     * The crash tests' hold point ({@link HoldPoints}): {@code before_commit} (every statement of a batch executed,
     * COMMIT not sent), {@code after_commit} (committed, the consumer not yet told), {@code relay_before_send}
     * (outbox rows read, nothing sent), {@code relay_after_send} (every send acknowledged, rows not yet deleted).
     */
    public static final String HOLD_AT_ENV = "STARDUST_GATEWAY_TEST_HOLD_AT";

    private GatewayApp() {
    }

    public static void main(String[] args) {
        useNdjsonLogging();
        Path config = args.length > 0 && args[0].startsWith("--config=") ? Path.of(args[0].substring("--config=".length())) : null;
        System.exit(run(config, System.err));
    }

    /** Unless the operator chose a logback configuration, log NDJSON (must run before the first logger exists). */
    private static void useNdjsonLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/stardust/gateway/logback-ndjson.xml");
        }
    }

    /**
     * Runs the gateway on the {@link ProcessRuntime} until SIGTERM, SIGINT, the flag file
     * {@code <pidFileDir>/gateway.shutdown} or a failure; returns the exit code.
     */
    public static int run(Path configFile, PrintStream err) {
        ConfigValues values;
        GatewayConfig cfg;
        try {
            values = GatewayConfig.definition().resolve(configFile);
            cfg = GatewayConfig.from(values);
        } catch (ConfigException e) {
            err.println("stardust gateway: " + e.getMessage());
            return ExitCode.USAGE;
        }
        ProcessSettings settings = new ProcessSettings(Path.of(values.get(ProcessSettings.PID_FILE_DIR)),
                cfg.shutdownTimeout());
        return ProcessRuntime.builder(NAME, settings).config(GatewayConfig.definition(), values).err(err).build()
                .run(stop -> {
                    // close() is the drain: the batch in flight commits, then the buffered records are written
                    try (Gateway gateway = Gateway.start(cfg, null, HoldPoints.fromEnvironment(HOLD_AT_ENV, System.getenv()))) {
                        CompletableFuture<Void> finished = gateway.finished();
                        stop.awaitRequestOr(finished);
                        if (finished.isCompletedExceptionally()) {
                            finished.join(); // rethrows: exit 1
                        }
                    }
                    return ExitCode.OK;
                }).exitCode();
    }
}

package io.stardust.gateway;

import io.stardust.config.ConfigException;
import io.stardust.daemon.ExitCode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * The gateway as a process ({@code bin/stardust gateway}, or this class's {@code main} with {@code STARDUST_*}
 * variables and an optional {@code --config=FILE}): runs until SIGTERM or SIGINT, then drains the batch in flight
 * and exits 0; 1 if the gateway failed, 2 on a configuration error. The {@code main} exists for the child-JVM
 * tests, whose classpath has no command line.
 */
public final class GatewayApp {
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

    /** Runs the gateway until a signal or a failure; returns the exit code. */
    public static int run(Path configFile, PrintStream err) {
        GatewayConfig cfg;
        try {
            cfg = GatewayConfig.from(GatewayConfig.definition().resolve(configFile));
        } catch (ConfigException e) {
            err.println("stardust gateway: " + e.getMessage());
            return ExitCode.USAGE;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg, null, HoldPoints.fromEnvironment(System.getenv()));
        } catch (RuntimeException e) {
            err.println("stardust gateway: cannot start: " + e);
            return ExitCode.FATAL;
        }
        CompletableFuture<String> signal = new CompletableFuture<>();
        // Handling the signals ourselves (instead of a shutdown hook) is what lets a drained SIGTERM exit 0, not 143.
        Signal.handle(new Signal("TERM"), s -> signal.complete("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> signal.complete("SIGINT"));
        boolean failed;
        try {
            CompletableFuture.anyOf(signal, gateway.finished()).join();
            failed = gateway.finished().isCompletedExceptionally();
        } catch (RuntimeException e) {
            failed = true;
        }
        gateway.close();
        return failed ? ExitCode.FATAL : ExitCode.OK;
    }
}

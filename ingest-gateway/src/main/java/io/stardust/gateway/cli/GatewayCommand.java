package io.stardust.gateway.cli;

import io.stardust.config.ConfigException;
import io.stardust.gateway.Gateway;
import io.stardust.gateway.GatewayConfig;
import io.stardust.gateway.cli.GatewayApp;
import io.stardust.ingest.write.HoldPoints;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code stardust gateway}: runs the ingest gateway until SIGTERM or SIGINT, then drains the batch in flight and
 * exits 0 (1 if the gateway failed, 2 on a configuration error).
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Consume entry records from Kafka into MySQL effectively-once and publish entry events.")
public final class GatewayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--print-config-reference", description = "Print the configuration reference (Markdown) and exit.")
    boolean printReference;

    public static void main(String[] args) {
        GatewayApp.main(args);
    }

    @Override
    public Integer call() {
        if (printReference) {
            System.out.print(GatewayConfig.definition().markdownTable());
            return ExitCodes.OK;
        }
        GatewayConfig cfg;
        try {
            cfg = config.resolve();
        } catch (ConfigException e) {
            return ConfigOptions.usageError(e);
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg, null, HoldPoints.fromEnvironment(System.getenv()));
        } catch (RuntimeException e) {
            System.err.println("stardust gateway: cannot start: " + e);
            return ExitCodes.FATAL;
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
        return failed ? ExitCodes.FATAL : ExitCodes.OK;
    }

    /** For {@code bin/stardust}: the command line the CLI module registers. */
    public static CommandLine commandLine() {
        return new CommandLine(new GatewayCommand());
    }
}

package io.stardust.cli;

import io.stardust.StarDust;
import io.stardust.config.ConfigException;
import io.stardust.http.HttpConfig;
import io.stardust.http.HttpServerApp;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code stardust serve}: runs the read-only HTTP API until SIGTERM or SIGINT, then stops accepting, lets the
 * requests in flight finish (up to {@code httpShutdownTimeout}; at once when there are none) and exits 0 (1 if it
 * cannot start, 2 on a configuration error).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the read-only HTTP API (entries, search, models, /health).",
                "Stops on SIGTERM/SIGINT after finishing requests in flight, at once when idle (exit 0).",
                "With kafkaBootstrap, the schema caches follow the registry topic instead of probing the version.",
                "Options: http-api/README.md; environment STARDUST_* wins over the --config file."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass, httpPort, httpBindAddress, httpThreads, httpShutdownTimeout,"
                    + " kafkaBootstrap, registryMirrorTopic, ...).")
    Path configFile;

    @Option(names = "--print-config-reference", description = "Print the configuration reference (Markdown) and exit.")
    boolean printReference;

    @Override
    public Integer call() {
        if (printReference) {
            System.out.print(HttpConfig.definition().markdownTable());
            return 0;
        }
        HttpConfig cfg;
        try {
            cfg = HttpConfig.from(HttpConfig.definition().resolve(configFile));
        } catch (ConfigException e) {
            System.err.println("stardust serve: " + e.getMessage());
            return Failures.USAGE;
        }
        CompletableFuture<String> signal = new CompletableFuture<>();
        // Handling the signals ourselves (instead of a shutdown hook) is what lets a drained SIGTERM exit 0, not 143.
        Signal.handle(new Signal("TERM"), s -> signal.complete("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> signal.complete("SIGINT"));
        // One pooled connection per worker thread, so a busy server never waits on the pool.
        try (StarDust engine = StarDust.connect(cfg.engine().withPoolSize(Math.max(cfg.engine().poolSize(), cfg.threads())))) {
            HttpServerApp app;
            try {
                app = HttpServerApp.start(engine, cfg);
            } catch (RuntimeException e) {
                System.err.println("stardust serve: cannot start: " + e.getMessage());
                return Failures.FATAL;
            }
            // stderr carries only NDJSON events here; http_started says where it listens.
            try (app) {
                signal.join();
            }
        }
        return 0;
    }
}

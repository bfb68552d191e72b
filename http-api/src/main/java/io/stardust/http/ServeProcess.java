package io.stardust.http;

import io.stardust.StarDust;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.daemon.process.ShutdownSignal;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code bin/stardust serve} as a process on the {@link ProcessRuntime}: serves until SIGTERM, SIGINT or the flag
 * file {@code <pidFileDir>/serve.shutdown}, then stops accepting, lets the requests in flight finish (up to
 * {@code httpShutdownTimeout}; at once when there are none) and exits 0; 1 if it cannot start, 2 on a
 * configuration error.
 */
public final class ServeProcess {
    public static final String NAME = "serve";

    private ServeProcess() {
    }

    /** Runs until stopped; returns the exit code. */
    public static int run(Path configFile, PrintStream err) {
        ConfigDef definition = HttpConfig.definition();
        ConfigValues values;
        HttpConfig cfg;
        try {
            values = definition.resolve(configFile);
            cfg = HttpConfig.from(values);
        } catch (ConfigException e) {
            err.println(NAME + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        ProcessSettings settings = new ProcessSettings(Path.of(values.get(ProcessSettings.PID_FILE_DIR)),
                cfg.shutdownTimeout());
        return ProcessRuntime.builder(NAME, settings).config(definition, values).err(err).build()
                .run(stop -> serve(cfg, stop)).exitCode();
    }

    private static int serve(HttpConfig cfg, ShutdownSignal stop) throws InterruptedException {
        // One pooled connection per worker thread, so a busy server never waits on the pool.
        try (StarDust engine = StarDust.connect(cfg.engine().withPoolSize(Math.max(cfg.engine().poolSize(), cfg.threads())));
             HttpServerApp app = HttpServerApp.start(engine, cfg)) {
            // stderr carries only NDJSON events here; http_started says where it listens.
            stop.awaitRequest();
        } // closing the app is the drain: stop accepting, finish requests in flight within httpShutdownTimeout
        return ExitCode.OK;
    }
}

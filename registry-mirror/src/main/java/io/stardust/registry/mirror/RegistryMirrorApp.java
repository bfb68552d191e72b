package io.stardust.registry.mirror;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.daemon.process.ShutdownSignal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The mirror as a process on the {@link ProcessRuntime} ({@code bin/stardust registry-mirror}, or this class's
 * {@code main} with {@code STARDUST_*} variables): runs until SIGTERM, SIGINT or the flag file
 * {@code <pidFileDir>/registry-mirror.shutdown}, then lets the batch in flight be acknowledged and its position
 * stored (within {@code registryMirrorShutdownTimeout}) and exits 0; exits 2 on a configuration error or a refusal
 * ({@link MirrorRefusedException}: a MySQL setting, a grant, the topic, a purged binlog), 1 on any other failure.
 */
public final class RegistryMirrorApp {
    public static final String NAME = "registry-mirror";

    private RegistryMirrorApp() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/stardust/registry/mirror/logback-ndjson.xml");
        }
        Path config = args.length > 0 && args[0].startsWith("--config=") ? Path.of(args[0].substring("--config=".length())) : null;
        // Debezium's threads are not daemon threads: exit explicitly, whatever happened.
        System.exit(run(config, System.err));
    }

    /** Runs the mirror until a stop request or a failure; returns the exit code. */
    public static int run(Path configFile, PrintStream err) {
        ConfigDef definition = RegistryMirrorConfig.definition();
        ConfigValues values;
        RegistryMirrorConfig cfg;
        try {
            values = definition.resolve(configFile);
            cfg = RegistryMirrorConfig.from(values);
        } catch (ConfigException e) {
            err.println("stardust registry-mirror: " + e.getMessage());
            return ExitCode.USAGE;
        }
        ProcessSettings settings = new ProcessSettings(Path.of(values.get(ProcessSettings.PID_FILE_DIR)),
                cfg.shutdownTimeout());
        return ProcessRuntime.builder(NAME, settings).config(definition, values).err(err).build()
                .run(stop -> mirror(cfg, stop, err)).exitCode();
    }

    private static int mirror(RegistryMirrorConfig cfg, ShutdownSignal stop, PrintStream err) throws Exception {
        RegistryMirror mirror;
        try {
            mirror = RegistryMirror.start(cfg, Clock.systemUTC());
        } catch (MirrorRefusedException e) {
            return refused(e, err);
        }
        try {
            // the mirror ends by itself only when it fails; a stop request ends the wait otherwise
            CompletableFuture<?> finished = mirror.finished();
            stop.awaitRequestOr(finished);
            if (finished.isDone() && !stop.reason().isPresent()) {
                finished.get(0, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MirrorRefusedException r) {
                return refused(r, err);
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            mirror.close();
        }
        return ExitCode.OK;
    }

    private static int refused(MirrorRefusedException e, PrintStream err) {
        err.println("stardust registry-mirror: refused (" + e.reason().code() + "): " + e.getMessage());
        return ExitCode.USAGE;
    }
}

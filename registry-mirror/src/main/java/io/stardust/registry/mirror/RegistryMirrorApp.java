package io.stardust.registry.mirror;

import io.stardust.config.ConfigException;
import io.stardust.daemon.process.ExitCode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import sun.misc.Signal;

/**
 * The mirror as a process ({@code bin/stardust registry-mirror}, or this class's {@code main} with
 * {@code STARDUST_*} variables): runs until SIGTERM or SIGINT, then lets the batch in flight be acknowledged and
 * its position stored and exits 0; exits 2 on a configuration error or a refusal ({@link MirrorRefusedException}:
 * a MySQL setting, a grant, the topic, a purged binlog), 1 on any other failure.
 */
public final class RegistryMirrorApp {
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

    /** Runs the mirror until a signal or a failure; returns the exit code. */
    public static int run(Path configFile, PrintStream err) {
        RegistryMirrorConfig cfg;
        try {
            cfg = RegistryMirrorConfig.from(RegistryMirrorConfig.definition().resolve(configFile));
        } catch (ConfigException e) {
            err.println("stardust registry-mirror: " + e.getMessage());
            return ExitCode.USAGE;
        }
        CompletableFuture<String> signal = new CompletableFuture<>();
        // Handling the signals ourselves (instead of a shutdown hook) is what lets a drained SIGTERM exit 0, not 143.
        Signal.handle(new Signal("TERM"), s -> signal.complete("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> signal.complete("SIGINT"));
        RegistryMirror mirror;
        try {
            mirror = RegistryMirror.start(cfg, Clock.systemUTC());
        } catch (MirrorRefusedException e) {
            err.println("stardust registry-mirror: refused (" + e.reason().code() + "): " + e.getMessage());
            return ExitCode.USAGE;
        } catch (RuntimeException e) {
            err.println("stardust registry-mirror: cannot start: " + e.getMessage());
            return ExitCode.FATAL;
        }
        int code = ExitCode.OK;
        try {
            CompletableFuture.anyOf(signal, mirror.finished()).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MirrorRefusedException r) {
                err.println("stardust registry-mirror: refused (" + r.reason().code() + "): " + r.getMessage());
                code = ExitCode.USAGE;
            } else {
                err.println("stardust registry-mirror: failed: " + cause);
                code = ExitCode.FATAL;
            }
        }
        mirror.close();
        return code;
    }
}

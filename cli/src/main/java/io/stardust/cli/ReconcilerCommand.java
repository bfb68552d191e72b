package io.stardust.cli;

import io.stardust.reconciler.ReconcilerDaemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reconciler", mixinStandardHelpOptions = true,
        description = {"Run a Reconciler worker: drains stardust_sync_queue into slots, quarantines poison rows in the "
                + "DLQ. Run as many as needed; SKIP LOCKED keeps them disjoint.",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/reconciler.shutdown appears (exit 0).",
                "Options: docs/daemons.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file", "1:a fatal error", "2:a configuration error"})
final class ReconcilerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass, pidFileDir, reconcilerChunkSize, ...).")
    Path configFile;

    @Override
    public Integer call() {
        return ReconcilerDaemon.run(configFile);
    }
}

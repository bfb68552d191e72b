package io.stardust.cli;

import io.stardust.watcher.WatcherDaemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watcher", mixinStandardHelpOptions = true,
        description = {"Run the Watcher: provisions slot pages when capacity runs low or a slot family is starved "
                + "(singleton: a second instance exits 2).",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/watcher.shutdown appears (exit 0).",
                "Options: docs/daemons.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file", "1:a fatal error", "2:a configuration error, or another instance runs (singleton)"})
final class WatcherCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass, pidFileDir, watcherPollIntervalSeconds, ...).")
    Path configFile;

    @Override
    public Integer call() {
        return WatcherDaemon.run(configFile);
    }
}

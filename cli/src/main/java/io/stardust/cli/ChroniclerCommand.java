package io.stardust.cli;

import io.stardust.chronicler.ChroniclerDaemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "chronicler", mixinStandardHelpOptions = true,
        description = {"Run a Chronicler: writes queued exports (export:submit) to artifact files under artifactDir "
                + "(multi-worker: run as many as you like).",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/chronicler.shutdown appears (exit 0) at the next chunk "
                        + "boundary; a job in progress is resumed in place by the next worker after the lease.",
                "Options: docs/daemons.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file", "1:a fatal error", "2:a configuration error"})
final class ChroniclerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass, artifactDir, chroniclerPageSize, ...).")
    Path configFile;

    @Override
    public Integer call() {
        return ChroniclerDaemon.run(configFile);
    }
}

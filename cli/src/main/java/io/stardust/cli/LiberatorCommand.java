package io.stardust.cli;

import io.stardust.liberator.LiberatorDaemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "liberator", mixinStandardHelpOptions = true,
        description = {"Run the Liberator: nulls tombstoned slot columns in checkpointed chunks and returns the slots "
                + "to free (multi-worker: each page is swept by one worker at a time).",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/liberator.shutdown appears (exit 0; the flag stops every "
                        + "worker).",
                "Options: docs/daemons.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file", "1:a fatal error", "2:a configuration error"})
final class LiberatorCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass, pidFileDir, liberatorChunkSize, ...).")
    Path configFile;

    @Override
    public Integer call() {
        return LiberatorDaemon.run(configFile);
    }
}

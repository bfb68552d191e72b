package io.stardust.cli;

import io.stardust.http.HttpConfig;
import io.stardust.http.ServeProcess;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stardust serve}: the read-only HTTP API as a process ({@link ServeProcess}). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the read-only HTTP API (entries, search, models, /health).",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/serve.shutdown appears, after finishing requests in "
                        + "flight, at once when idle (exit 0).",
                "With kafkaBootstrap, the schema caches follow the registry topic instead of probing the version.",
                "Options: http-api/README.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file, after the requests in flight", "1:it could not start or failed", "2:a configuration error"})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ProcessConfig config;

    @Override
    public Integer call() {
        return config.run(HttpConfig.definition(), file -> ServeProcess.run(file, System.err));
    }
}

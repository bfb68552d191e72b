package io.stardust.cli;

import io.stardust.streams.StreamsApp;
import io.stardust.streams.StreamsAppConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stardust streams}: the file-drop import process ({@link StreamsApp}) until SIGTERM, SIGINT or its flag file. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Import files dropped into importDropDir: a transactional file reader and a Kafka Streams topology",
                "(exactly_once_v2) that validates every line against stardust.registry and routes it to stardust.entries",
                "(written to MySQL by the gateway) or to stardust.imports.rejected.",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/streams.shutdown appears, after the open transaction (exit 0).",
                "Options: streams-app/README.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file", "1:the reader or the topology failed",
                "2:a configuration error, or the registry topic does not exist"})
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    ProcessConfig config;

    @Override
    public Integer call() {
        return config.run(StreamsAppConfig.definition(), file -> StreamsApp.run(file, System.err));
    }
}

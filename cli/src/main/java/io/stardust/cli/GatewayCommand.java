package io.stardust.cli;

import io.stardust.gateway.GatewayApp;
import io.stardust.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stardust gateway}: the ingest gateway process ({@link GatewayApp}) until SIGTERM, SIGINT or its flag file. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Consume entry records from Kafka into MySQL effectively-once and publish entry events.",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/gateway.shutdown appears, after the batch in flight commits (exit 0).",
                "Options: ingest-gateway/README.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file after draining", "1:the gateway failed or could not start",
                "2:a configuration error"})
final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with gateway settings (keys as in the README); environment variables win over it.")
    Path configFile;

    @Option(names = "--print-config-reference", description = "Print the configuration reference (Markdown) and exit.")
    boolean printReference;

    @Override
    public Integer call() {
        if (printReference) {
            System.out.print(GatewayConfig.definition().markdownTable());
            return 0;
        }
        return GatewayApp.run(configFile, System.err);
    }
}

package io.stardust.cli;

import io.stardust.gateway.GatewayApp;
import io.stardust.gateway.GatewayConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stardust gateway}: the ingest gateway process ({@link GatewayApp}) until SIGTERM, SIGINT or its flag file. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Consume entry records from Kafka into MySQL effectively-once and publish entry events.",
                "Stops on SIGTERM/SIGINT or when <pidFileDir>/gateway.shutdown appears, after the batch in flight commits (exit 0).",
                "Options: ingest-gateway/README.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT or the shutdown flag file after draining", "1:the gateway failed or could not start",
                "2:a configuration error"})
final class GatewayCommand implements Callable<Integer> {
    @Mixin
    ProcessConfig config;

    @Override
    public Integer call() {
        return config.run(GatewayConfig.definition(), file -> GatewayApp.run(file, System.err));
    }
}

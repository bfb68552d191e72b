package io.stardust.gateway.cli;

import io.stardust.gateway.cli.GatewayCommand;
import picocli.CommandLine;

/**
 * {@code main} of the gateway process ({@code bin/stardust gateway}): configuration from the environment
 * ({@code STARDUST_*}) and an optional {@code --config FILE}; NDJSON logs on stdout; SIGTERM drains and exits 0.
 */
public final class GatewayApp {
    private GatewayApp() {
    }

    public static void main(String[] args) {
        useNdjsonLogging();
        System.exit(new CommandLine(new GatewayCommand()).execute(args));
    }

    /** Unless the operator chose a logback configuration, log NDJSON (must run before the first logger exists). */
    public static void useNdjsonLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/stardust/gateway/logback-ndjson.xml");
        }
    }
}

package io.stardust.gateway.cli;

import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.gateway.GatewayConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the gateway's commands; everything else comes from {@code STARDUST_*} variables. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with gateway settings (keys as in the README); environment variables win over it.")
    Path file;

    /** Resolves the configuration; a {@link ConfigException} means a usage error (exit 2). */
    public GatewayConfig resolve() {
        return GatewayConfig.from(GatewayConfig.definition().resolve(file));
    }

    /** The raw values: commands that only need MySQL do not require the Kafka settings. */
    public ConfigValues values() {
        return GatewayConfig.definition().resolve(file);
    }

    static int usageError(ConfigException e) {
        System.err.println("stardust: " + e.getMessage());
        return ExitCodes.USAGE;
    }
}

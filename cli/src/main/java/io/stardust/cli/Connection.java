package io.stardust.cli;

import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.engine.export.ExportOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the database is: {@code STARDUST_DSN}, {@code STARDUST_USER}, {@code STARDUST_PASS} from the environment,
 * or the same keys ({@code dsn}, {@code user}, {@code pass}) in a properties file given with {@code --config}.
 * The environment wins.
 */
final class Connection {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with dsn, user, pass and other options.")
    Path configFile;

    StarDustConfig config() {
        // export:submit reads the export cap from the same file and environment as the connection
        return StarDustConfig.from(ConfigDef.of(StarDustConfig.OPTIONS, ExportOptions.OPTIONS).resolve(configFile));
    }

    StarDust open() {
        return StarDust.connect(config().withPoolSize(4));
    }

}

package io.stardust.cli;

import io.stardust.config.ConfigDef;
import java.nio.file.Path;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Option;

/**
 * The options every long-running process command takes beyond its own: the properties file of its settings, and the
 * reference of those settings (the table its README carries).
 */
final class ProcessConfig {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with the process's settings (keys as in its README); STARDUST_* environment variables win over it.")
    Path configFile;

    @Option(names = "--print-config-reference", description = "Print the configuration reference (Markdown) and exit.")
    boolean printReference;

    /** Prints {@code definition}'s reference when asked for it, else runs {@code process} with the file; its exit code. */
    int run(ConfigDef definition, ToIntFunction<Path> process) {
        if (printReference) {
            System.out.print(definition.markdownTable());
            return 0;
        }
        return process.applyAsInt(configFile);
    }
}

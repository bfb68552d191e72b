package io.stardust.cli;

import io.stardust.registry.mirror.RegistryMirrorApp;
import io.stardust.registry.mirror.RegistryMirrorConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "registry-mirror", mixinStandardHelpOptions = true,
        description = {"Run the registry mirror: publishes every change of the registry tables, read from the MySQL "
                + "binlog (Debezium), to the compacted topic stardust.registry.",
                "Stops on SIGTERM/SIGINT after the batch in flight is acknowledged (exit 0); exit 2 when MySQL's settings,"
                        + " grants, the topic or a purged binlog make it refuse, 1 on other failures.",
                "Options: registry-mirror/README.md; environment STARDUST_* wins over the --config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT after the batch in flight", "1:any other failure", "2:a configuration error, or a refusal (a MySQL setting, a grant, the topic, a purged binlog)"})
final class RegistryMirrorCommand implements Callable<Integer> {
    @Mixin
    ProcessConfig config;

    @Override
    public Integer call() {
        // Debezium's engine threads are not daemon threads; the CLI's main exits explicitly after this returns.
        return config.run(RegistryMirrorConfig.definition(), file -> RegistryMirrorApp.run(file, System.err));
    }
}

package io.stardust.kit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run an {@link EmbeddedConnect} worker.
 *
 * @param workDir          where each worker's run directory (worker properties, offsets file, logs) goes
 * @param bootstrapServers the Kafka cluster the worker joins, e.g. {@link EmbeddedKafka#bootstrapServers()}
 * @param restPort         REST listener port on 127.0.0.1; 0 for a free port
 * @param pluginPath       directories for {@code plugin.path}, each holding one sub-directory per plugin; empty
 *                         for none (the key is then left out: Connect 4.3 rejects an empty {@code plugin.path})
 * @param classpath        the worker JVM's classpath; it must hold {@code connect-runtime} and an SLF4J binding
 *                         (logback is configured through the kit's {@code child-jvm-logback.xml})
 * @param maxHeapMb        {@code -Xmx} of the worker JVM, in MiB
 * @param jvmFlags         extra flags for the worker JVM, after the heap size
 * @param logLevel         level of the worker's log file ({@code WARN} keeps it short, {@code INFO} to debug)
 * @param startTimeout     how long to wait for the REST API to list connectors
 * @param keepData         keep the run directory after {@link EmbeddedConnect#close()}
 * @param workerProperties extra worker properties; they override the kit's defaults
 */
public record ConnectOptions(Path workDir, String bootstrapServers, int restPort, List<Path> pluginPath, String classpath,
                             int maxHeapMb, List<String> jvmFlags, String logLevel, Duration startTimeout, boolean keepData,
                             Map<String, String> workerProperties) {

    public ConnectOptions {
        pluginPath = List.copyOf(pluginPath);
        jvmFlags = List.copyOf(jvmFlags);
        workerProperties = Map.copyOf(workerProperties);
    }

    /**
     * Defaults for tests: a free REST port, no plugin path (plugins on the classpath), this JVM's classpath,
     * 384 MiB heap with the quick-start JVM flags, WARN log, run directory deleted on close.
     */
    public static ConnectOptions forTests(Path workDir, String bootstrapServers) {
        return new ConnectOptions(workDir, bootstrapServers, 0, List.of(), System.getProperty("java.class.path"), 384,
                KafkaOptions.QUICK_START_FLAGS, "WARN", Duration.ofSeconds(90), false, Map.of());
    }

    public ConnectOptions withPluginPath(List<Path> dirs) {
        return new ConnectOptions(workDir, bootstrapServers, restPort, dirs, classpath, maxHeapMb, jvmFlags, logLevel,
                startTimeout, keepData, workerProperties);
    }

    /** Another worker classpath, e.g. one without a plugin's classes to prove it loads from {@code plugin.path}. */
    public ConnectOptions withClasspath(String newClasspath) {
        return new ConnectOptions(workDir, bootstrapServers, restPort, pluginPath, newClasspath, maxHeapMb, jvmFlags, logLevel,
                startTimeout, keepData, workerProperties);
    }

    public ConnectOptions withMaxHeapMb(int mb) {
        return new ConnectOptions(workDir, bootstrapServers, restPort, pluginPath, classpath, mb, jvmFlags, logLevel,
                startTimeout, keepData, workerProperties);
    }

    public ConnectOptions withJvmFlags(List<String> flags) {
        return new ConnectOptions(workDir, bootstrapServers, restPort, pluginPath, classpath, maxHeapMb, flags, logLevel,
                startTimeout, keepData, workerProperties);
    }

    public ConnectOptions withStartTimeout(Duration timeout) {
        return new ConnectOptions(workDir, bootstrapServers, restPort, pluginPath, classpath, maxHeapMb, jvmFlags, logLevel,
                timeout, keepData, workerProperties);
    }

    /** Adds (or replaces) one worker property. */
    public ConnectOptions withWorkerProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(workerProperties);
        merged.put(key, value);
        return new ConnectOptions(workDir, bootstrapServers, restPort, pluginPath, classpath, maxHeapMb, jvmFlags, logLevel,
                startTimeout, keepData, merged);
    }
}

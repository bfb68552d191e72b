package io.stardust.kit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Kafka Connect 4.3.1 worker in standalone mode ({@code org.apache.kafka.connect.cli.ConnectStandalone}),
 * run as a child JVM like {@link EmbeddedKafka}'s broker: the same code a production worker runs, with plugins
 * found on its classpath or, isolated, on {@code plugin.path}. Connectors are created, inspected and deleted
 * through its REST API on 127.0.0.1.
 *
 * <p>Each worker gets its own run directory under {@code options.workDir()} holding {@code worker.properties},
 * the source-offsets file and the worker's log ({@code worker.log} at {@link ConnectOptions#logLevel()}; stdout
 * and stderr go to {@code worker.out}). The REST port is chosen once: {@link #restart()} after {@link #crash()}
 * comes back on the same port and offsets file. Standalone mode does not persist connector configurations:
 * after a restart, create the connectors again (sink connectors resume from their consumer group's offsets).
 *
 * <p>The worker is stopped by {@link #close()}, by a JVM shutdown hook, and, should the JVM be killed outright,
 * by the {@link Watchdog} process that ends the worker once the JVM's pid is gone.
 */
public final class EmbeddedConnect extends EmbeddedServer {

    /** SIGTERM: Connect's shutdown hook stops connectors and tasks; SIGKILL after this. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String MAIN_CLASS = "org.apache.kafka.connect.cli.ConnectStandalone";

    private final ConnectOptions options;
    private final Path runDir;
    private final int restPort;
    private final ConnectRestClient rest;

    private EmbeddedConnect(ConnectOptions options, Path runDir, int restPort) {
        super("the Connect worker", runDir, options.keepData(), STOP_TIMEOUT);
        this.options = options;
        this.runDir = runDir;
        this.restPort = restPort;
        this.rest = new ConnectRestClient(URI.create(restUrl()));
    }

    /** Writes the worker properties and starts the worker; returns once its REST API lists connectors. */
    public static EmbeddedConnect start(ConnectOptions options) {
        for (Path dir : options.pluginPath()) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("plugin.path entry " + dir + " is not a directory");
            }
        }
        int port = options.restPort() > 0 ? options.restPort() : FreePorts.next();
        Path runDir = options.workDir().toAbsolutePath().resolve("connect-" + port + "-" + ProcessHandle.current().pid());
        EmbeddedConnect connect = new EmbeddedConnect(options, runDir, port);
        connect.startUp(connect::writeWorkerProperties);
        return connect;
    }

    /** {@code http://127.0.0.1:port}, the REST API's base URL. */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public int restPort() {
        return restPort;
    }

    /** The worker's log file (at {@link ConnectOptions#logLevel()}); stdout and stderr go to {@code worker.out} beside it. */
    public Path logFile() {
        return runDir.resolve("worker.log");
    }

    /** Class names of the connector plugins the worker found (classpath and {@code plugin.path}). */
    public List<String> connectorPlugins() {
        return rest.connectorPluginClasses();
    }

    /** Names of the connectors the worker runs. */
    public List<String> connectors() {
        return rest.connectors();
    }

    /**
     * Creates a connector ({@code POST /connectors}); Connect validates the configuration first.
     *
     * @throws ConnectRestException with Connect's message when it refuses, e.g. 400 for an invalid configuration
     *                              or an unknown connector class, 409 when the name is taken
     */
    public void createConnector(String name, Map<String, String> config) {
        rest.create(name, config);
    }

    /**
     * Stops and removes a connector and its tasks ({@code DELETE /connectors/{name}}).
     *
     * @throws ConnectRestException 404 when there is no such connector
     */
    public void deleteConnector(String name) {
        rest.delete(name);
    }

    /**
     * Stops a connector ({@code PUT /connectors/{name}/stop}): its tasks are shut down and its offsets may be
     * changed; {@link #resumeConnector} starts it again.
     */
    public void stopConnector(String name) {
        rest.stop(name);
    }

    public void resumeConnector(String name) {
        rest.resume(name);
    }

    /**
     * {@code DELETE /connectors/{name}/offsets} (KIP-875; the connector must be stopped).
     *
     * @throws ConnectRestException with Connect's message when it refuses, e.g. 400 for a connector still running
     */
    public void resetOffsets(String name) {
        rest.resetOffsets(name);
    }

    /** {@code PATCH /connectors/{name}/offsets} for one partition of a sink connector (it must be stopped). */
    public void alterSinkOffset(String name, String topic, int partition, long offset) {
        rest.alterSinkOffset(name, topic, partition, offset);
    }

    /** @throws ConnectRestException 404 when there is no such connector */
    public ConnectorStatus connectorStatus(String name) {
        return rest.status(name);
    }

    /**
     * Waits until the connector and exactly {@code tasks} tasks are {@code RUNNING}; returns their status.
     *
     * @throws IllegalStateException at once when the connector or a task failed (with its stack trace), when the
     *                               worker died, or when {@code timeout} passes (with the last status seen)
     */
    public ConnectorStatus awaitRunning(String name, int tasks, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no status yet";
        while (true) {
            if (!isRunning()) {
                throw new IllegalStateException("the Connect worker is not running; last lines of " + logFile() + ":\n" + logTails());
            }
            try {
                ConnectorStatus status = rest.status(name);
                if (status.isRunning(tasks)) {
                    return status;
                }
                if (status.failure().isPresent()) {
                    throw new IllegalStateException("connector " + name + " failed: " + status.failure().get());
                }
                last = status.toString();
            } catch (ConnectRestException e) {
                last = e.getMessage(); // 404 until the worker has registered the connector's status
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("connector " + name + " did not run " + tasks + " task(s) within " + timeout
                        + "; last status: " + last);
            }
            ServerProcess.pause(Duration.ofMillis(100));
        }
    }

    private void writeWorkerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", options.bootstrapServers());
        p.put("listeners", restUrl());
        p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        p.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        p.put("offset.storage.file.filename", runDir.resolve("connect.offsets").toString());
        p.put("offset.flush.interval.ms", "1000");
        if (!options.pluginPath().isEmpty()) {
            p.put("plugin.path", options.pluginPath().stream().map(d -> d.toAbsolutePath().toString())
                    .collect(Collectors.joining(",")));
        }
        p.putAll(options.workerProperties());
        ChildJvm.writeProperties(workerProperties(), p, EmbeddedConnect.class.getName());
    }

    @Override
    synchronized void launch() {
        ChildJvm jvm = new ChildJvm(MAIN_CLASS, options.classpath(), options.maxHeapMb(), options.jvmFlags(), logFile(),
                options.logLevel());
        started(jvm.start(runDir, runDir.resolve("worker.out"), "the Kafka Connect worker JVM",
                workerProperties().toString()));
        awaitReady();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(options.startTimeout());
        while (!rest.answers()) {
            ServerProcess p = process();
            if (!p.isAlive()) {
                crash();
                throw new IllegalStateException("the Connect worker exited with code " + p.exitValue()
                        + " during start-up; last lines of " + logFile() + ":\n" + logTails());
            }
            if (Instant.now().isAfter(deadline)) {
                stop();
                throw new IllegalStateException("the Connect worker's REST API at " + restUrl() + " did not answer within "
                        + options.startTimeout() + "; last lines of " + logFile() + ":\n" + logTails());
            }
            ServerProcess.pause(Duration.ofMillis(200));
        }
    }

    private String logTails() {
        return ServerProcess.tail(logFile()) + "\n--- worker.out:\n" + ServerProcess.tail(runDir.resolve("worker.out"));
    }

    private Path workerProperties() {
        return runDir.resolve("worker.properties");
    }
}

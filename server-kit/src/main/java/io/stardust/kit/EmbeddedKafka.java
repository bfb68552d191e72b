package io.stardust.kit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka 4.3.1 broker in KRaft mode (one node that is both broker and controller), run as a child JVM
 * with {@code kafka.Kafka server.properties} on this JVM's classpath, so the broker is the same code a
 * production cluster runs, yet needs nothing but the Maven dependencies of this module.
 *
 * <p>Each instance gets its own run directory under {@code options.workDir()} holding {@code server.properties},
 * the log dir ({@code data/}, formatted once with a random cluster id) and the broker's log file
 * ({@code broker.log}, written through logback at {@link KafkaOptions#logLevel()}). Both listeners bind free ports
 * on 127.0.0.1, chosen once: {@link #restart()} and {@link #crash()} keep ports and data, so clients created
 * before a restart reconnect to the same address and find their records and committed offsets.
 *
 * <p>The broker is stopped by {@link #close()}, by a JVM shutdown hook, and, should the JVM be killed outright,
 * by the {@link Watchdog} process that ends the broker once the JVM's pid is gone.
 */
public final class EmbeddedKafka extends EmbeddedServer {

    /** SIGTERM: Kafka's own shutdown hook does a controlled shutdown, under a second here; SIGKILL after this. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaOptions options;
    private final Path runDir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;

    private EmbeddedKafka(KafkaOptions options, Path runDir, int brokerPort, int controllerPort, String clusterId) {
        super("the Kafka broker", runDir, options.keepData(), STOP_TIMEOUT);
        this.options = options;
        this.runDir = runDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** Formats a fresh log dir and starts a broker on it; returns once the broker answers {@code describeCluster}. */
    public static EmbeddedKafka start(KafkaOptions options) {
        int brokerPort = options.brokerPort() > 0 ? options.brokerPort() : FreePorts.next();
        int controllerPort = options.controllerPort();
        while (controllerPort <= 0 || controllerPort == brokerPort) {
            controllerPort = FreePorts.next();
        }
        Path runDir = options.workDir().toAbsolutePath().resolve("kafka-" + brokerPort + "-" + ProcessHandle.current().pid());
        EmbeddedKafka kafka = new EmbeddedKafka(options, runDir, brokerPort, controllerPort,
                Uuid.randomUuid().toString());
        kafka.startUp(() -> {
            kafka.writeServerProperties();
            kafka.format();
        });
        return kafka;
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The broker's log file (at {@link KafkaOptions#logLevel()}); stdout and stderr go to {@code broker.out} beside it. */
    public Path logFile() {
        return runDir.resolve("broker.log");
    }

    /** Client properties that point at this broker; add serializers, group id etc. as needed. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Creates a topic with replication factor 1 and waits until every partition has a leader. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with replication factor 1 and the given topic configs (for example
     * {@code cleanup.policy=compact}), and waits until every partition has a leader, so producers never see
     * {@code UNKNOWN_TOPIC_OR_PARTITION} right after this returns.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(adminProperties())) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
            await(admin.createTopics(List.of(topic)).all(), "create topic " + name);
            Instant deadline = Instant.now().plus(ADMIN_TIMEOUT);
            while (!allPartitionsLed(admin, name, partitions)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("topic " + name + " has partitions without a leader after "
                            + ADMIN_TIMEOUT + "\n" + ServerProcess.tail(logFile()));
                }
                ServerProcess.pause(Duration.ofMillis(50));
            }
        }
    }

    private void writeServerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", runDir.resolve("data").toString());
        p.putAll(options.singleNodeDefaults());
        p.putAll(options.brokerProperties());
        ChildJvm.writeProperties(serverProperties(), p, EmbeddedKafka.class.getName());
    }

    /**
     * {@code kafka-storage format}, run in this JVM through {@link StorageTool#execute} (which returns instead of
     * exiting): saves a second JVM start, about a second on a small machine.
     */
    private void format() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", serverProperties().toString()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("kafka-storage format failed for " + runDir + ": " + output.toString(StandardCharsets.UTF_8), e);
        }
        if (code != 0) {
            throw new IllegalStateException("kafka-storage format exited with " + code + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    synchronized void launch() {
        ChildJvm jvm = new ChildJvm("kafka.Kafka", System.getProperty("java.class.path"), options.maxHeapMb(),
                options.jvmFlags(), logFile(), options.logLevel());
        started(jvm.start(runDir, runDir.resolve("broker.out"), "the Kafka broker JVM", serverProperties().toString()));
        awaitReady();
    }

    /**
     * Waits for the client port to accept connections (cheap, and keeps the admin client from logging connection
     * failures), then for {@code describeCluster} to list the broker: from then on it serves produce and fetch.
     */
    private void awaitReady() {
        Instant deadline = Instant.now().plus(options.startTimeout());
        String last = "none";
        while (!portOpen()) {
            checkAlive(deadline, "port " + brokerPort + " not open");
            ServerProcess.pause(Duration.ofMillis(50));
        }
        try (Admin admin = Admin.create(adminProperties())) {
            while (true) {
                checkAlive(deadline, last);
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes()
                            .get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                    last = "describeCluster returned no nodes";
                } catch (ExecutionException | TimeoutException e) {
                    last = String.valueOf(e.getCause() == null ? e : e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
                ServerProcess.pause(Duration.ofMillis(50));
            }
        }
    }

    private void checkAlive(Instant deadline, String lastError) {
        ServerProcess p = process();
        if (!p.isAlive()) {
            crash();
            throw new IllegalStateException("Kafka broker exited with code " + p.exitValue()
                    + " during start-up; last lines of " + logFile() + ":\n" + logTails());
        }
        if (Instant.now().isAfter(deadline)) {
            stop();
            throw new IllegalStateException("Kafka broker did not answer describeCluster on " + bootstrapServers()
                    + " within " + options.startTimeout() + "; last error: " + lastError
                    + "\nlast lines of " + logFile() + ":\n" + logTails());
        }
    }

    private String logTails() {
        return ServerProcess.tail(logFile()) + "\n--- broker.out:\n" + ServerProcess.tail(runDir.resolve("broker.out"));
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_TIMEOUT.toMillis()));
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        return p;
    }

    private boolean allPartitionsLed(Admin admin, String topic, int partitions) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return d.partitions().size() == partitions
                    && d.partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false; // metadata not propagated yet (UnknownTopicOrPartition); ask again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Path serverProperties() {
        return runDir.resolve("server.properties");
    }
}

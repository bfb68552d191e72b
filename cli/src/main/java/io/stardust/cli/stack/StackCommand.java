package io.stardust.cli.stack;

import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.config.ConfigDef;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.engine.json.Json;
import io.stardust.kit.FreePorts;
import io.stardust.registry.mirror.RegistryMirrorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/stardust stack}: the topology of {@code compose/docker-compose.yml} as processes on one machine, against
 * embedded MySQL and Kafka (or given servers): the registry mirror, the Watcher, the Liberator, the Chronicler, the
 * HTTP API, and
 * {@code --gateways}, {@code --reconcilers} copies of the scalable parts, each a child JVM supervised by
 * {@link Supervisor}. Prints where each process's {@code /metrics} is and writes the same as JSON to
 * {@code <dir>/stack.json}; SIGTERM, SIGINT or {@code <dir>/run/stack.shutdown} stops every process cleanly.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = {"Run the whole system as local processes: registry mirror, Watcher, Liberator, Chronicler, HTTP API, and N gateways,"
                + " Reconcilers and streams apps, against embedded MySQL and Kafka (or --dsn/--kafka-bootstrap).",
                "A member that crashes is restarted; logs in <dir>/logs/<member>.log; members and their /metrics in <dir>/stack.json.",
                "Every member inherits the STARDUST_* environment (e.g. STARDUST_GATEWAY_TOPIC); servers, directories and ports are the stack's.",
                "Stops on SIGTERM/SIGINT (every member drains) or <dir>/run/stack.shutdown."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped, every member drained", "1:a member did not stop in time, or a fatal error",
            "2:a usage error"})
public final class StackCommand implements Callable<Integer> {
    /** Names of the stack's log events (source {@code stack}). */
    public static final List<String> EVENTS = List.of("stack_member_started", "stack_member_restarted", "stack_member_stopped");
    private static final Duration MEMBER_DRAIN = Duration.ofSeconds(45);

    @Option(names = "--gateways", paramLabel = "N", description = "Ingest gateways (default: ${DEFAULT-VALUE}).")
    int gateways = 1;

    @Option(names = "--reconcilers", paramLabel = "N", description = "Reconcilers (default: ${DEFAULT-VALUE}).")
    int reconcilers = 1;

    @Option(names = "--streams", paramLabel = "N", description = "Streams apps (file-drop import; drop files into <dir>/drop) (default: ${DEFAULT-VALUE}).")
    int streamsApps = 1;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the entry topics (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory: embedded servers, logs, stack.json (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("stack-data");

    @Option(names = "--dsn", paramLabel = "JDBC_URL", description = "Use this MySQL database instead of an embedded one (with --user, --pass).")
    String dsn;

    @Option(names = "--user", description = "MySQL user with --dsn.")
    String user;

    @Option(names = "--pass", description = "MySQL password with --dsn.")
    String pass = "";

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", description = "Use this Kafka cluster instead of an embedded broker.")
    String kafkaBootstrap;

    @Override
    public Integer call() throws Exception {
        if (gateways < 1 || reconcilers < 1 || partitions < 1 || streamsApps < 0) {
            System.err.println("stardust stack: --gateways, --reconcilers and --partitions must be at least 1, --streams at least 0");
            return ExitCode.USAGE;
        }
        if ((dsn == null) != (kafkaBootstrap == null)) {
            System.err.println("stardust stack: give both --dsn and --kafka-bootstrap, or neither (embedded servers)");
            return ExitCode.USAGE;
        }
        Path work = Files.createDirectories(dir).toAbsolutePath();
        EmbeddedStack embedded = dsn == null ? new EmbeddedStack(work.resolve("servers"), "stardust", partitions) : null;
        try {
            Map<String, String> shared = new LinkedHashMap<>();
            shared.put("STARDUST_DSN", embedded == null ? dsn : embedded.mysql().jdbcUrl(embedded.database()));
            shared.put("STARDUST_USER", embedded == null ? user : embedded.mysql().user());
            shared.put("STARDUST_PASS", embedded == null ? pass : embedded.mysql().password());
            shared.put("STARDUST_KAFKA_BOOTSTRAP", embedded == null ? kafkaBootstrap : embedded.kafka().bootstrapServers());
            shared.put("STARDUST_PID_FILE_DIR", work.resolve("run").toString());
            shared.put("STARDUST_ARTIFACT_DIR", work.resolve("artifacts").toString());
            List<Member> members = members();
            List<Member> streams = streamsMembers(work);
            ProcessRuntime runtime = ProcessRuntime.builder("stack", new ProcessSettings(work.resolve("run"), MEMBER_DRAIN)).build();
            ProcessRuntime.Outcome outcome = runtime.run(stop -> {
                try (Supervisor supervisor = new Supervisor(work.resolve("logs"), shared)) {
                    for (Member m : members) {
                        supervisor.start(m);
                    }
                    if (!streams.isEmpty()) {
                        // the streams app refuses to start (exit 2) before the registry mirror has created its topic
                        String registryTopic = ConfigDef.of(List.of(RegistryMirrorConfig.TOPIC))
                                .resolve(new Properties(), System.getenv()).require(RegistryMirrorConfig.TOPIC);
                        awaitTopic(shared.get("STARDUST_KAFKA_BOOTSTRAP"), registryTopic, Duration.ofMinutes(3));
                        for (Member m : streams) {
                            supervisor.start(m);
                        }
                    }
                    List<Member> all = new ArrayList<>(members);
                    all.addAll(streams);
                    print(all, supervisor.pids(), work, System.out);
                    stop.awaitRequest();
                    return supervisor.stop(MEMBER_DRAIN) ? ExitCode.OK : ExitCode.FATAL;
                }
            });
            return outcome.exitCode();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The streams apps: one drop directory, a reader id, a state directory and a status port each. */
    private List<Member> streamsMembers(Path work) {
        List<Member> out = new ArrayList<>();
        for (int i = 1; i <= streamsApps; i++) {
            int port = FreePorts.next();
            out.add(new Member("streams-" + i, List.of("streams"), Map.of(
                    "STARDUST_IMPORT_DROP_DIR", work.resolve("drop").toString(),
                    "STARDUST_IMPORT_READER_ID", "stack-" + i,
                    "STARDUST_STREAMS_STATE_DIR", work.resolve("streams-state").resolve(Integer.toString(i)).toString(),
                    "STARDUST_STREAMS_METRICS_PORT", Integer.toString(port)), metrics(port)));
        }
        return out;
    }

    /** Polls the cluster until {@code topic} exists; fails after {@code timeout}. */
    private static void awaitTopic(String bootstrap, String topic, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the registry mirror did not create " + topic + " within " + timeout
                            + "; see its log");
                }
                Thread.sleep(500);
            }
        }
    }

    /** Every process of the stack but the streams apps, each with a free port for its status endpoint. */
    private List<Member> members() {
        List<Member> out = new ArrayList<>();
        int mirror = FreePorts.next();
        out.add(new Member("registry-mirror", List.of("registry-mirror"),
                Map.of("STARDUST_REGISTRY_MIRROR_METRICS_PORT", Integer.toString(mirror)), metrics(mirror)));
        out.add(daemon("watcher", "watcher"));
        out.add(daemon("liberator", "liberator"));
        out.add(daemon("chronicler", "chronicler"));
        for (int i = 1; i <= reconcilers; i++) {
            out.add(daemon("reconciler-" + i, "reconciler"));
        }
        for (int i = 1; i <= gateways; i++) {
            int port = FreePorts.next();
            out.add(new Member("gateway-" + i, List.of("gateway"), Map.of("STARDUST_GATEWAY_INSTANCE_ID", "stack-gateway-" + i,
                    "STARDUST_GATEWAY_METRICS_PORT", Integer.toString(port)), metrics(port)));
        }
        int http = FreePorts.next();
        out.add(new Member("http-api", List.of("serve"), Map.of("STARDUST_HTTP_PORT", Integer.toString(http)), metrics(http)));
        return out;
    }

    private static Member daemon(String name, String command) {
        int port = FreePorts.next();
        return new Member(name, List.of(command), Map.of("STARDUST_DAEMON_METRICS_PORT", Integer.toString(port)), metrics(port));
    }

    private static String metrics(int port) {
        return "http://127.0.0.1:" + port + "/metrics";
    }


    private static void print(List<Member> members, Map<String, Long> pids, Path work, PrintStream out) throws IOException {
        var doc = Json.mapper().createArrayNode();
        out.printf("%-18s %-8s %s%n", "member", "pid", "metrics");
        for (Member m : members) {
            out.printf("%-18s %-8d %s%n", m.name(), pids.get(m.name()), m.metricsUrl());
            doc.addObject().put("member", m.name()).put("command", String.join(" ", m.command()))
                    .put("metrics_url", m.metricsUrl()).put("log", work.resolve("logs").resolve(m.name() + ".log").toString());
        }
        out.println("logs: " + work.resolve("logs") + "; stop with Ctrl-C or: touch " + work.resolve("run/stack.shutdown"));
        out.flush();
        Files.writeString(work.resolve("stack.json"), Json.write(doc) + "\n");
    }
}

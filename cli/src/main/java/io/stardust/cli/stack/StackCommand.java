package io.stardust.cli.stack;

import io.stardust.cli.demo.EmbeddedStack;
import io.stardust.daemon.process.ExitCode;
import io.stardust.daemon.process.ProcessRuntime;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.engine.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        description = {"Run the whole system as local processes: registry mirror, Watcher, Liberator, Chronicler, HTTP API, and N gateways"
                + " and Reconcilers, against embedded MySQL and Kafka (or --dsn/--kafka-bootstrap).",
                "A member that crashes is restarted; logs in <dir>/logs/<member>.log; members and their /metrics in <dir>/stack.json.",
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
        if (gateways < 1 || reconcilers < 1 || partitions < 1) {
            System.err.println("stardust stack: --gateways, --reconcilers and --partitions must be at least 1");
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
            ProcessRuntime runtime = ProcessRuntime.builder("stack", new ProcessSettings(work.resolve("run"), MEMBER_DRAIN)).build();
            ProcessRuntime.Outcome outcome = runtime.run(stop -> {
                try (Supervisor supervisor = new Supervisor(work.resolve("logs"), shared)) {
                    for (Member m : members) {
                        supervisor.start(m);
                    }
                    print(members, supervisor.pids(), work, System.out);
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

    /** Every process of the stack, each with a free port for its status endpoint. */
    private List<Member> members() throws IOException {
        List<Member> out = new ArrayList<>();
        int mirror = freePort();
        out.add(new Member("registry-mirror", List.of("registry-mirror"),
                Map.of("STARDUST_REGISTRY_MIRROR_METRICS_PORT", Integer.toString(mirror)), metrics(mirror)));
        out.add(daemon("watcher", "watcher"));
        out.add(daemon("liberator", "liberator"));
        out.add(daemon("chronicler", "chronicler"));
        for (int i = 1; i <= reconcilers; i++) {
            out.add(daemon("reconciler-" + i, "reconciler"));
        }
        for (int i = 1; i <= gateways; i++) {
            int port = freePort();
            out.add(new Member("gateway-" + i, List.of("gateway"), Map.of("STARDUST_GATEWAY_INSTANCE_ID", "stack-gateway-" + i,
                    "STARDUST_GATEWAY_METRICS_PORT", Integer.toString(port)), metrics(port)));
        }
        int http = freePort();
        out.add(new Member("http-api", List.of("serve"), Map.of("STARDUST_HTTP_PORT", Integer.toString(http)), metrics(http)));
        return out;
    }

    private static Member daemon(String name, String command) throws IOException {
        int port = freePort();
        return new Member(name, List.of(command), Map.of("STARDUST_DAEMON_METRICS_PORT", Integer.toString(port)), metrics(port));
    }

    private static String metrics(int port) {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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

package io.stardust.cli.stack;

import io.stardust.cli.Main;
import io.stardust.engine.event.EventLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the members of a stack as child JVMs (same Java, classpath and {@code -D}/{@code -X} flags), each one's
 * stdout and stderr appended to {@code <logDir>/<name>.log}, and keeps them running as a container restart policy
 * would: a member that ends other than by exit 0 or 2 (a crash, a SIGKILL) is started again, logged as
 * {@code stack_member_restarted}; exit 2 (configuration or singleton refusal) is not retried. {@link #stop} sends
 * SIGTERM to every member and waits for each to drain.
 *
 * <p>A member's environment is the stack's own (so {@code STARDUST_*} settings exported for the stack configure every
 * member, as in {@code compose/}), overridden by the stack's settings (servers, directories) and the member's own
 * (ports, instance ids): an exported {@code STARDUST_DSN} cannot point a member at another database.
 */
final class Supervisor implements AutoCloseable {
    private static final int REFUSED = 2;

    private final Path logDir;
    private final Map<String, String> sharedEnv;
    private final EventLog events = new EventLog("stack");
    private final Map<String, Running> running = new LinkedHashMap<>();
    private volatile boolean stopping;

    private record Running(Member member, Process process) {
    }

    Supervisor(Path logDir, Map<String, String> sharedEnv) throws IOException {
        this.logDir = Files.createDirectories(logDir);
        this.sharedEnv = Map.copyOf(sharedEnv);
    }

    synchronized void start(Member m) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("-D") || flag.startsWith("-X")) {
                cmd.add(flag);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(m.command());
        Path log = logDir.resolve(m.name() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(sharedEnv);
        pb.environment().putAll(m.env());
        Process p = pb.start();
        running.put(m.name(), new Running(m, p));
        events.info("stack_member_started", "member", m.name(), "pid", p.pid(), "log", log.toString(),
                "metrics_url", String.valueOf(m.metricsUrl()));
        p.onExit().thenAccept(done -> exited(m, done));
    }

    private void exited(Member m, Process done) {
        if (stopping) {
            return;
        }
        int code = done.exitValue();
        if (code == 0 || code == REFUSED) {
            events.warning("stack_member_stopped", "member", m.name(), "exit_code", code);
            return;
        }
        events.warning("stack_member_restarted", "member", m.name(), "exit_code", code);
        try {
            synchronized (this) {
                if (!stopping) {
                    start(m);
                }
            }
        } catch (IOException e) {
            events.error("stack_member_stopped", e, "member", m.name(), "exit_code", code);
        }
    }

    /** The members as they run now: name → pid. */
    synchronized Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        running.forEach((name, r) -> out.put(name, r.process().pid()));
        return out;
    }

    /** SIGTERM to every member, then waits up to {@code timeout} for each; false if one had to be killed. */
    boolean stop(Duration timeout) throws InterruptedException {
        List<Running> all;
        synchronized (this) {
            stopping = true;
            all = List.copyOf(running.values());
        }
        all.forEach(r -> r.process().destroy());
        boolean clean = true;
        for (Running r : all) {
            if (!r.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                r.process().destroyForcibly();
                clean = false;
            }
        }
        return clean;
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(40));
    }
}

package io.stardust.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny daemon for {@link DaemonProcessTest}, run in a child JVM exactly as a CLI command would run a real one:
 * options from the environment ({@code STARDUST_PID_FILE_DIR}, …), a {@link DaemonRunner} with the signal hook,
 * and {@code System.exit} with the runner's code.
 *
 * <p>Arguments: {@code <daemonName> <markerDir> <tickMillis> <IDLE|WORK_DONE> <singleton true|false>}. Tick
 * {@code n} creates {@code tick-n.started}, works (sleeps) {@code tickMillis}, then creates {@code tick-n.finished},
 * so the test can tell whether a tick in progress was allowed to finish.
 */
public final class CountingDaemonMain {

    private CountingDaemonMain() {
    }

    public static void main(String[] args) {
        String daemon = args[0];
        Path markers = Path.of(args[1]);
        long tickMillis = Long.parseLong(args[2]);
        TickOutcome outcome = TickOutcome.valueOf(args[3]);
        boolean singleton = Boolean.parseBoolean(args[4]);

        DaemonConfig config = DaemonConfig.from(DaemonConfig.definition().resolve((Path) null));
        AtomicInteger ticks = new AtomicInteger();
        Tickable counting = () -> {
            int n = ticks.incrementAndGet();
            Files.writeString(markers.resolve("tick-" + n + ".started"), "");
            // simulated work of a fixed length: a signal arriving now must wait for it, not cut it short
            Thread.sleep(tickMillis);
            Files.writeString(markers.resolve("tick-" + n + ".finished"), "");
            return outcome;
        };
        DaemonRunner.Builder runner = DaemonRunner.builder(daemon, config).tickable(counting);
        if (singleton) {
            runner.singleton();
        }
        System.exit(runner.build().run());
    }
}

package io.stardust.cli.progress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The one progress reporter of every long command ({@code entry:write}, the DLQ replays, the demo). It never
 * writes escape sequences, and writes carriage returns only to a terminal:
 * <ul>
 *   <li>on a terminal, one line redrawn in place with {@code \r} at most every {@link #TERMINAL_INTERVAL}:
 *       {@code entry:write [=====>    ] 12000/50000 lines (24%), 3100 lines/s};</li>
 *   <li>anywhere else (a pipe, a file, a CI log), a plain line every {@link #PLAIN_INTERVAL}:
 *       {@code entry:write: 12000/50000 lines (24%), 3100 lines/s}.</li>
 * </ul>
 * Both end with one final line on {@link #close()}, unless nothing was done and nothing shown (a command that
 * failed before its first step, say, adds no noise to its error). An unknown total (or a total of zero) is shown as a count only:
 * {@code entry:write: 12000 lines, 3100 lines/s}. The rate is the average since the start.
 *
 * <p>Whether stderr is a terminal cannot be asked of the JVM ({@code System.console()} looks at stdin and stdout
 * only), so {@code bin/stardust} tests it with {@code [ -t 2 ]} and passes {@value #TERMINAL_PROPERTY}; without
 * it the output is plain, which is always safe.
 */
public final class Progress implements AutoCloseable {
    /** System property {@code bin/stardust} sets to {@code true} when its stderr is a terminal. */
    public static final String TERMINAL_PROPERTY = "stardust.stderr.tty";
    public static final Duration TERMINAL_INTERVAL = Duration.ofMillis(200);
    public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 30;

    private final String task;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long startedAt;
    private final long intervalNanos;
    private long done;
    private long lastShownAt;
    private long lastShownDone = -1;
    private int lastWidth;
    private boolean closed;

    /**
     * @param task     what is progressing, the line's prefix (e.g. {@code entry:write})
     * @param unit     what is counted, plural (e.g. {@code lines})
     * @param total    how many there will be; 0 or less when unknown
     * @param terminal whether {@code out} is a terminal
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public Progress(String task, String unit, long total, PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.task = task;
        this.unit = unit;
        this.total = Math.max(total, 0);
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.startedAt = nanoTime.getAsLong();
        this.lastShownAt = startedAt;
        this.intervalNanos = (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL).toNanos();
    }

    /** Progress on this process's stderr, drawn as a bar only when {@code bin/stardust} found it is a terminal. */
    public static Progress onStderr(String task, String unit, long total) {
        return new Progress(task, unit, total, System.err, Boolean.getBoolean(TERMINAL_PROPERTY), System::nanoTime);
    }

    /** A reporter that shows nothing, for {@code --no-progress} and small jobs. */
    public static Progress none() {
        return new Progress("", "", 0, new PrintStream(OutputStream.nullOutputStream()), false, System::nanoTime);
    }

    /** Counts {@code n} more done. */
    public synchronized void advance(long n) {
        update(done + n);
    }

    /** Sets how many are done so far. */
    public synchronized void set(long doneSoFar) {
        update(doneSoFar);
    }

    private void update(long doneSoFar) {
        done = doneSoFar;
        long now = nanoTime.getAsLong();
        if (!closed && now - lastShownAt >= intervalNanos) {
            lastShownAt = now;
            show(now, false);
        }
    }

    /** Shows the final state, once (unless the last line shown already says it, or there is nothing to say). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (done == 0 && lastShownDone < 0) {
            return;
        }
        if (done != lastShownDone) {
            show(nanoTime.getAsLong(), true);
        } else if (terminal) {
            out.println();
            out.flush();
        }
    }

    private void show(long now, boolean last) {
        lastShownDone = done;
        String text = line(now);
        if (terminal) {
            String padded = text.length() < lastWidth ? text + " ".repeat(lastWidth - text.length()) : text;
            lastWidth = text.length();
            out.print("\r" + padded + (last ? System.lineSeparator() : ""));
        } else {
            out.println(task + ": " + text);
        }
        out.flush();
    }

    private String line(long now) {
        StringBuilder s = new StringBuilder();
        if (terminal) {
            s.append(task).append(' ');
            if (total > 0) {
                s.append(bar()).append(' ');
            }
        }
        s.append(done);
        if (total > 0) {
            s.append('/').append(total).append(' ').append(unit).append(" (").append(percent()).append("%)");
        } else {
            s.append(' ').append(unit);
        }
        double seconds = (now - startedAt) / 1e9;
        if (seconds >= 0.001) {
            s.append(", ").append(Math.round(done / seconds)).append(' ').append(unit).append("/s");
        }
        return s.toString();
    }

    private long percent() {
        return Math.min(100, done * 100 / total);
    }

    private String bar() {
        int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        StringBuilder b = new StringBuilder("[").append("=".repeat(filled));
        if (filled < BAR_WIDTH) {
            b.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
        }
        return b.append(']').toString();
    }
}

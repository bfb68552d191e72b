package io.stardust.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void elapse(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalItPrintsAPlainLineEveryFewSecondsAndTheFinalStateOnceWithoutCarriageReturnsOrEscapes() {
        try (Progress p = new Progress("entry:write", "lines", 50_000, out, false, clock::get)) {
            p.advance(100);
            assertThat(written()).as("nothing before the interval").isEmpty();
            elapse(4);
            p.advance(12_300);
            elapse(1);
            p.advance(100);
            assertThat(written()).isEqualTo("entry:write: 12500/50000 lines (25%), 2500 lines/s" + System.lineSeparator());
            p.advance(100);
            elapse(10);
            p.set(50_000);
        }
        assertThat(written().lines()).containsExactly(
                "entry:write: 12500/50000 lines (25%), 2500 lines/s",
                "entry:write: 50000/50000 lines (100%), 3333 lines/s");
        assertThat(written()).doesNotContain("\r").doesNotContain("\u001b");
    }

    @Test
    void anUnknownOrZeroTotalIsShownAsACountOnlyAndNothingDoneIsNotReported() {
        try (Progress p = new Progress("entry:write", "lines", 0, out, false, clock::get)) {
            elapse(2);
            p.advance(3);
        }
        try (Progress p = new Progress("demo", "records", -1, out, false, clock::get)) {
            p.advance(1); // closed at once: no rate
        }
        Progress failedAtOnce = new Progress("failed", "records", 10, out, false, clock::get);
        elapse(1);
        failedAtOnce.close(); // nothing done, nothing shown: nothing to report
        assertThat(written().lines()).containsExactly("entry:write: 3 lines, 2 lines/s", "demo: 1 records");
        assertThat(written()).doesNotContain("0/0");
    }

    @Test
    void onATerminalItRedrawsOneBarInPlaceAndEndsTheLine() {
        try (Progress p = new Progress("replay", "rows", 10, out, true, clock::get)) {
            elapse(1);
            p.set(5);
            p.set(6); // within the interval: not drawn
        }
        String nl = System.lineSeparator();
        assertThat(written()).isEqualTo("\rreplay [===============>              ] 5/10 rows (50%), 5 rows/s"
                + "\rreplay [==================>           ] 6/10 rows (60%), 6 rows/s" + nl);
        assertThat(written()).doesNotContain("\u001b");
    }

    @Test
    void theSilentReporterShowsNothing() {
        try (Progress p = Progress.none()) {
            p.advance(1);
        }
        assertThat(written()).isEmpty();
    }
}

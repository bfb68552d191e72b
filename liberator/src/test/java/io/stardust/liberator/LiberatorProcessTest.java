package io.stardust.liberator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Liberator as a real process ({@link LiberatorDaemon#main} in a child JVM, configured through the environment
 * exactly as {@code bin/stardust liberator} is): SIGKILL mid-sweep and resume, two workers at once on different
 * pages, SIGTERM and the flag file.
 */
@ExtendWith(MySqlExtension.class)
class LiberatorProcessTest {
    private static final Pattern SWEEP_CHUNK = Pattern.compile(
            "sweep_chunk .*rows_nullified=\"(\\d+)\".*sweep_cursor_id=\"(\\d+)\"");
    private static final Pattern CHUNK_OF_SLOT = Pattern.compile(
            "(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*sweep_chunk .*slot_assignment_id=\"(\\d+)\"");

    private final TestDatabase db;
    private DbFixture fx;
    private final List<Process> children = new ArrayList<>();
    @TempDir
    Path tmp;

    LiberatorProcessTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = DbFixture.fresh(db);
    }

    @AfterEach
    void tearDown() {
        children.forEach(Process::destroyForcibly);
        fx.close();
    }

    private record Child(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        int awaitExit() throws Exception {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; output:%n%s", output()).isTrue();
            return process.exitValue();
        }
    }

    private Child start(String name, Map<String, String> env) throws IOException {
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dstardust.console.level=INFO",
                "-cp", System.getProperty("java.class.path"), LiberatorDaemon.class.getName());
        pb.environment().keySet().removeIf(k -> k.startsWith("STARDUST_"));
        pb.environment().put("STARDUST_DSN", db.jdbcUrl());
        pb.environment().put("STARDUST_USER", db.user());
        pb.environment().put("STARDUST_PASS", db.password());
        pb.environment().put("STARDUST_PID_FILE_DIR", tmp.resolve("run").toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        children.add(p);
        return new Child(p, log);
    }

    private String slotState(long slotId) {
        return fx.rows("SELECT status FROM stardust_slot_assignments WHERE id = ?", slotId).get(0).get(0).toString();
    }

    private long committedCursor(long slotId) {
        return fx.count("SELECT COALESCE(sweep_cursor_id, 0) FROM stardust_slot_assignments WHERE id = ?", slotId);
    }

    @Test
    void aLiberatorKilledMidSweepResumesFromItsLastCommittedCursorAndLeavesNoValueBehind() throws Exception {
        DbFixture.SeededSlot slot = fx.modelWithSlots("m", 1).get(0);
        List<Long> ids = fx.seedEntries(300, slot);
        fx.tombstone(slot.slotAssignmentId());
        Map<String, String> slow = Map.of("STARDUST_LIBERATOR_CHUNK_SIZE", "10",
                "STARDUST_LIBERATOR_INTER_CHUNK_DELAY_MICROS", "100000");

        Child first = start("first", slow);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> committedCursor(slot.slotAssignmentId()) >= ids.get(49));
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        long cursor = committedCursor(slot.slotAssignmentId());
        assertThat(slotState(slot.slotAssignmentId())).isEqualTo("tombstoned");
        assertThat(cursor).isLessThan(ids.get(299));
        assertThat(fx.count("SELECT COUNT(*) FROM " + slot.table() + " WHERE entry_id <= ? AND " + slot.column()
                + " IS NOT NULL", cursor)).as("every row up to the committed cursor is nulled").isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM " + slot.table() + " WHERE entry_id > ? AND " + slot.column()
                + " IS NULL", cursor)).as("no row after the committed cursor was touched (the killed chunk rolled back)")
                .isZero();

        Child second = start("second", Map.of("STARDUST_LIBERATOR_CHUNK_SIZE", "10"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> slotState(slot.slotAssignmentId()).equals("free"));
        second.process().destroy();
        assertThat(second.awaitExit()).isZero();

        assertThat(fx.nonNullValues(slot)).as("no value left behind").isZero();
        assertThat(committedCursor(slot.slotAssignmentId())).isEqualTo(ids.get(299));
        Matcher m = SWEEP_CHUNK.matcher(second.output());
        assertThat(m.find()).as(second.output()).isTrue();
        int index = ids.indexOf(cursor);
        assertThat(Long.parseLong(m.group(2))).as("the restart's first chunk starts right after the committed cursor")
                .isEqualTo(ids.get(index + 10));
        assertThat(m.group(1)).isEqualTo("10");
        int chunks = 1;
        while (m.find()) {
            chunks++;
        }
        assertThat(chunks).as("only the remaining rows were swept").isEqualTo((299 - index) / 10 + 1);
    }

    /** Tombstoned slots on pages 1 (four) and 2 (three), each column holding a value for each of {@code n} entries. */
    private List<Long> tombstoneSlotsOnTwoPages(int n) {
        List<DbFixture.SeededSlot> slots = fx.modelWithSlots("m", 4);
        fx.seedEntries(n, slots.toArray(DbFixture.SeededSlot[]::new));
        fx.engine.provisionPage(List.of());
        fx.exec("INSERT INTO entry_slots_page_2 (entry_id, tenant_id, i_str_01, i_str_02, i_str_03)"
                        + " SELECT id, tenant_id, 'a', 'b', 'c' FROM entry_data",
                "UPDATE stardust_slot_assignments SET status = 'tombstoned', tombstoned_at = UTC_TIMESTAMP()"
                        + " WHERE page_id = 2 AND slot_column IN ('i_str_01', 'i_str_02', 'i_str_03')");
        slots.forEach(s -> fx.tombstone(s.slotAssignmentId()));
        List<Long> ids = new ArrayList<>();
        fx.rows("SELECT id FROM stardust_slot_assignments WHERE status = 'tombstoned' ORDER BY id")
                .forEach(r -> ids.add(((Number) r.get(0)).longValue()));
        return ids;
    }

    /** The slots a worker swept chunks of, and when its first and last chunk were logged (ms of the day). */
    private record Sweeps(Set<Long> slots, long firstMillis, long lastMillis) {
        static Sweeps of(String output) {
            Set<Long> slots = new TreeSet<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            Matcher m = CHUNK_OF_SLOT.matcher(output);
            while (m.find()) {
                long at = LocalTime.parse(m.group(1)).toNanoOfDay() / 1_000_000;
                first = Math.min(first, at);
                last = Math.max(last, at);
                slots.add(Long.parseLong(m.group(2)));
            }
            return new Sweeps(slots, first, last);
        }
    }

    @Test
    void twoLiberatorsSweepAtOnceEachSlotByOneWorkerAndSigtermStopsBothWithZero() throws Exception {
        Map<String, String> slow = Map.of("STARDUST_LIBERATOR_CHUNK_SIZE", "2",
                "STARDUST_LIBERATOR_INTER_CHUNK_DELAY_MICROS", "30000", "STARDUST_LIBERATOR_IDLE_INTERVAL_SECONDS", "0");
        Child a = start("a", slow);
        Child b = start("b", slow);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> a.output().contains("daemon_started") && b.output().contains("daemon_started"));
        assertThat(a.process().isAlive() && b.process().isAlive()).as("no PID guard: both run").isTrue();
        List<Long> tombstoned = tombstoneSlotsOnTwoPages(100);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> fx.count("SELECT COUNT(*) FROM stardust_slot_assignments WHERE status = 'tombstoned'") == 0);
        a.process().destroy();
        b.process().destroy();
        assertThat(a.awaitExit()).isZero();
        assertThat(b.awaitExit()).isZero();

        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_1 WHERE i_str_01 IS NOT NULL OR i_str_02 IS NOT NULL"
                + " OR i_str_03 IS NOT NULL OR i_str_04 IS NOT NULL")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM entry_slots_page_2 WHERE i_str_01 IS NOT NULL OR i_str_02 IS NOT NULL"
                + " OR i_str_03 IS NOT NULL")).isZero();
        assertThat(Pattern.compile("sweep_complete ").matcher(a.output() + b.output()).results().count())
                .as("each of the 7 slots freed exactly once").isEqualTo(7);
        Sweeps first = Sweeps.of(a.output());
        Sweeps second = Sweeps.of(b.output());
        assertThat(first.slots()).as("both workers swept").isNotEmpty();
        assertThat(second.slots()).as("both workers swept").isNotEmpty();
        assertThat(first.slots()).as("a slot is swept by one worker, under its page's lock")
                .doesNotContainAnyElementsOf(second.slots());
        Set<Long> swept = new TreeSet<>(first.slots());
        swept.addAll(second.slots());
        assertThat(swept).containsExactlyElementsOf(tombstoned);
        assertThat(first.firstMillis() < second.lastMillis() && second.firstMillis() < first.lastMillis())
                .as("the two workers swept at the same time (on different pages)").isTrue();
    }

    @Test
    void theShutdownFlagFileStopsTheLiberatorWithinASliceWithZero() throws Exception {
        Child child = start("flag", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> child.output().contains("daemon_started"));

        long sent = System.nanoTime();
        Files.writeString(tmp.resolve("run").resolve("liberator.shutdown"), "");
        assertThat(child.awaitExit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
        assertThat(child.output()).contains("reason=\"shutdown_flag\"");
    }
}

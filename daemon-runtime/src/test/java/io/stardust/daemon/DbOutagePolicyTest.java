package io.stardust.daemon;

import io.stardust.daemon.process.ExitCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The outage policy inside a running daemon, against real MySQL errors and a real server outage. */
@ExtendWith(MySqlExtension.class)
class DbOutagePolicyTest {

    private final TestDatabase db;
    private final EventCapture events = EventCapture.open();
    private final FakeTime time = new FakeTime();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path pidDir;

    DbOutagePolicyTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void closeCapture() {
        events.close();
    }

    private DaemonRunner.Builder runner(Tickable tickable) {
        return DaemonRunner.builder("reconciler", DaemonConfig.defaults().withPidFileDir(pidDir)
                        .withDbRetry(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .tickable(tickable)
                .handleSignals(false)
                .sleeper(time)
                .clock(time.clock())
                .err(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aTickFailingWithTransientErrorsIsRetriedWithBackoffAndTheDaemonSurvives() {
        AtomicInteger calls = new AtomicInteger();
        DaemonRunner[] self = new DaemonRunner[1];
        Tickable flaky = () -> {
            int n = calls.incrementAndGet();
            if (n <= 4) {
                throw new IllegalStateException("tick failed", new SQLException("Communications link failure", "08S01"));
            }
            if (n == 6) {
                self[0].requestShutdown();
            }
            return TickOutcome.WORK_DONE;
        };
        self[0] = runner(flaky).build();

        assertThat(self[0].run()).isEqualTo(ExitCode.OK);

        assertThat(calls).hasValue(6);
        assertThat(events.named(DaemonEvents.DB_UNAVAILABLE)).extracting(e -> e.get("attempt"), e -> e.get("delay_ms"))
                .containsExactly(tuple(1, 1000L),
                        tuple(2, 2000L), tuple(3, 4000L),
                        tuple(4, 8000L));
        EventCapture.Event first = events.named(DaemonEvents.DB_UNAVAILABLE).get(0);
        assertThat(first.get("sql_state")).isEqualTo("08S01");
        assertThat(first.get("daemon")).isEqualTo("reconciler");
        assertThat(first.level()).isEqualTo("WARN");
        assertThat(first.source()).isEqualTo(DaemonEvents.SOURCE);
        assertThat(events.named(DaemonEvents.DB_RECOVERED)).singleElement().satisfies(e -> {
            assertThat(e.get("failed_attempts")).isEqualTo(4);
            assertThat(e.get("outage_ms")).isEqualTo(15_000L);
        });
        // 1 + 2 + 4 + 8 s of backoff in 1 s slices
        assertThat(time.totalSlept()).isEqualTo(Duration.ofSeconds(15));
        assertThat(time.sleeps()).allMatch(d -> d.compareTo(Duration.ofSeconds(1)) <= 0);
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED)).singleElement()
                .satisfies(e -> assertThat(e.get("reason")).isEqualTo("requested"));
    }

    @Test
    void theScheduleStartsOverAfterASuccessfulTick() {
        AtomicInteger calls = new AtomicInteger();
        DaemonRunner[] self = new DaemonRunner[1];
        // fail, fail, ok, fail, ok+stop
        Tickable t = () -> {
            int n = calls.incrementAndGet();
            if (n == 1 || n == 2 || n == 4) {
                throw new SQLException("gone away", "HY000", 2006);
            }
            if (n == 5) {
                self[0].requestShutdown();
            }
            return TickOutcome.WORK_DONE;
        };
        self[0] = runner(t).build();

        assertThat(self[0].run()).isEqualTo(ExitCode.OK);
        assertThat(events.named(DaemonEvents.DB_UNAVAILABLE)).extracting(e -> e.get("delay_ms"))
                .containsExactly(1000L, 2000L, 1000L);
        assertThat(events.named(DaemonEvents.DB_RECOVERED)).hasSize(2);
    }

    @Test
    void aRealServerOutageIsRiddenOut() {
        AtomicInteger ok = new AtomicInteger();
        DaemonRunner[] self = new DaemonRunner[1];
        Tickable query = () -> {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?")
                    + "connectTimeout=2000", db.user(), db.password()); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
            if (ok.incrementAndGet() == 2) {
                self[0].requestShutdown();
            }
            return TickOutcome.WORK_DONE;
        };
        // the server comes back while the daemon sleeps off its third failure
        time.onSleep(n -> {
            if (events.named(DaemonEvents.DB_UNAVAILABLE).size() == 3 && n == 4) {
                db.server().restart();
            }
        });
        db.server().crash();
        try {
            self[0] = runner(query).build();

            assertThat(self[0].run()).isEqualTo(ExitCode.OK);
        } finally {
            ensureRunning();
        }
        assertThat(events.named(DaemonEvents.DB_UNAVAILABLE)).hasSize(3)
                .allSatisfy(e -> assertThat((String) e.get("sql_state")).startsWith("08"));
        assertThat(events.named(DaemonEvents.DB_RECOVERED)).singleElement()
                .satisfies(e -> assertThat(e.get("failed_attempts")).isEqualTo(3));
        assertThat(ok).hasValue(2);
    }

    @Test
    void aNonTransientSqlErrorIsFatalWithExitCode1() {
        Tickable broken = () -> {
            try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement()) {
                s.execute("SELECT * FROM no_such_table");
            }
            return TickOutcome.WORK_DONE;
        };

        assertThat(runner(broken).build().run()).isEqualTo(ExitCode.FATAL);

        assertThat(events.named(DaemonEvents.DB_UNAVAILABLE)).isEmpty();
        assertThat(events.named(DaemonEvents.DAEMON_STOPPED)).singleElement().satisfies(e -> {
            assertThat(e.get("reason")).isEqualTo("fatal_error");
            assertThat(e.get("exit_code")).isEqualTo(1);
            assertThat(e.level()).isEqualTo("ERROR");
        });
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("reconciler: fatal:").contains("no_such_table");
        assertThat(time.sleeps()).isEmpty();
    }

    private void ensureRunning() {
        try (Connection c = db.server().connect(db.name())) {
            c.isValid(2);
        } catch (SQLException e) {
            db.server().restart();
        }
    }
}

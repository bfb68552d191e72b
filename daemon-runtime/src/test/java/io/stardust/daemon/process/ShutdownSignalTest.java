package io.stardust.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownSignalTest {

    @TempDir
    Path dir;

    @Test
    void theFlagFileIsNamedAfterTheProcessInThePidFileDir() {
        assertThat(ShutdownSignal.forProcess(dir, "reconciler").flagFile()).isEqualTo(dir.resolve("reconciler.shutdown"));
    }

    @Test
    void theFlagFileIsCheckedOnEveryCallAndLatchedOnceSeen() throws Exception {
        ShutdownSignal signal = ShutdownSignal.forProcess(dir, "watcher");
        assertThat(signal.isRequested()).isFalse();
        assertThat(signal.isRequested()).isFalse();

        Files.writeString(signal.flagFile(), "");
        assertThat(signal.isRequested()).isTrue();
        Files.delete(signal.flagFile());

        assertThat(signal.isRequested()).as("a stop in progress is not cancelled").isTrue();
        assertThat(signal.reason()).contains(ShutdownSignal.Reason.FLAG_FILE);
    }

    @Test
    void theFirstReasonWins() {
        ShutdownSignal signal = ShutdownSignal.forProcess(dir, "watcher");
        signal.request(ShutdownSignal.Reason.SIGNAL);
        signal.request(ShutdownSignal.Reason.REQUESTED);
        assertThat(signal.reason()).contains(ShutdownSignal.Reason.SIGNAL);
        assertThat(ShutdownSignal.Reason.FLAG_FILE.label()).isEqualTo("shutdown_flag");
    }

    @Test
    void aStaleFlagIsDeletedOnlyWhenPresent() throws Exception {
        ShutdownSignal signal = ShutdownSignal.forProcess(dir, "liberator");
        assertThat(signal.deleteStaleFlag()).isFalse();
        Files.writeString(signal.flagFile(), "");

        assertThat(signal.deleteStaleFlag()).isTrue();
        assertThat(signal.flagFile()).doesNotExist();
        assertThat(signal.isRequested()).isFalse();
    }

    @Test
    void processNamesCannotEscapeTheDirectory() {
        assertThatThrownBy(() -> ShutdownSignal.forProcess(dir, "../etc/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid process name");
        assertThatThrownBy(() -> ShutdownSignal.forProcess(dir, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.stardust.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stardust.StarDustException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileGuardTest {

    private static final long OWN_PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @Test
    void createsTheDirectoryAndWritesItsPid() throws Exception {
        Path dir = tmp.resolve("a/b/c");
        try (PidFileGuard guard = PidFileGuard.acquire(dir, "watcher")) {
            assertThat(guard.path()).isEqualTo(dir.resolve("watcher.pid"));
            assertThat(guard.pid()).isEqualTo(OWN_PID);
            assertThat(guard.isHeld()).isTrue();
        }
        assertThat(Files.readString(dir.resolve("watcher.pid"))).isEqualTo(Long.toString(OWN_PID));
    }

    @Test
    void aSecondAcquireIsASingletonViolationNamingThePathAndPid() {
        try (PidFileGuard first = PidFileGuard.acquire(tmp, "watcher")) {
            SingletonViolationException e = catchThrowableOfType(SingletonViolationException.class,
                    () -> PidFileGuard.acquire(tmp, "watcher"));

            assertThat(e).isInstanceOf(SingletonViolationException.class).isInstanceOf(StarDustException.class);
            assertThat(e.getMessage()).contains(tmp.resolve("watcher.pid").toString()).contains("pid " + OWN_PID);
            assertThat(e.pidFile()).isEqualTo(tmp.resolve("watcher.pid"));
            assertThat(e.holderPid()).hasValue(OWN_PID);
            assertThat(first.isHeld()).isTrue();
        }
    }

    @Test
    void aDaemonsOwnViolationTypeIsThrownWhenGiven() {
        class LiberatorViolation extends SingletonViolationException {
            LiberatorViolation(String message, Path pidFile, java.util.OptionalLong holderPid, Throwable cause) {
                super(message, pidFile, holderPid, cause);
            }
        }
        try (PidFileGuard liberator = PidFileGuard.acquire(tmp, "liberator", LiberatorViolation::new);
             PidFileGuard gateway = PidFileGuard.acquire(tmp, "gateway")) {
            assertThat(liberator.isHeld()).isTrue();
            assertThat(gateway.isHeld()).isTrue();
            assertThatThrownBy(() -> PidFileGuard.acquire(tmp, "liberator", LiberatorViolation::new))
                    .isExactlyInstanceOf(LiberatorViolation.class);
            assertThatThrownBy(() -> PidFileGuard.acquire(tmp, "gateway"))
                    .isExactlyInstanceOf(SingletonViolationException.class);
        }
    }

    @Test
    void aDifferentSpellingOfTheSameDirectoryStillCollides() throws Exception {
        Files.createDirectories(tmp.resolve("sub"));
        try (PidFileGuard held = PidFileGuard.acquire(tmp, "watcher")) {
            assertThat(held.isHeld()).isTrue();
            assertThatThrownBy(() -> PidFileGuard.acquire(tmp.resolve("sub/.."), "watcher"))
                    .isInstanceOf(SingletonViolationException.class);
        }
    }

    @Test
    void aLockTakenThroughAnotherChannelIsReportedWithThePidInTheFile() throws Exception {
        Path file = tmp.resolve("watcher.pid");
        Files.writeString(file, "4242");
        try (FileChannel other = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = other.lock()) {
            assertThat(lock.isValid()).isTrue();
            SingletonViolationException e = catchThrowableOfType(SingletonViolationException.class,
                    () -> PidFileGuard.acquire(tmp, "watcher"));

            assertThat(e.getMessage()).contains(file.toString()).contains("pid 4242");
            assertThat(e.holderPid()).hasValue(4242L);
        }
        // the holder's PID was not truncated away by the failed attempt
        assertThat(Files.readString(file)).isEqualTo("4242");
    }

    @Test
    void releaseAllowsReacquiringAndLeavesTheLastPid() throws Exception {
        PidFileGuard first = PidFileGuard.acquire(tmp, "liberator");
        first.release();
        assertThat(first.isHeld()).isFalse();
        assertThat(Files.readString(tmp.resolve("liberator.pid"))).isEqualTo(Long.toString(OWN_PID));

        try (PidFileGuard second = PidFileGuard.acquire(tmp, "liberator")) {
            assertThat(second.isHeld()).isTrue();
        }
    }

    @Test
    void releaseIsIdempotent() {
        PidFileGuard guard = PidFileGuard.acquire(tmp, "watcher");
        guard.release();
        guard.release();
        guard.close();
        // a stale second release must not free somebody else's registration
        try (PidFileGuard again = PidFileGuard.acquire(tmp, "watcher")) {
            guard.release();
            assertThatThrownBy(() -> PidFileGuard.acquire(tmp, "watcher"))
                    .isInstanceOf(SingletonViolationException.class);
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void aLongerStalePidIsOverwrittenCompletely() throws Exception {
        Files.writeString(tmp.resolve("watcher.pid"), "123456789012345");
        try (PidFileGuard guard = PidFileGuard.acquire(tmp, "watcher")) {
            // read after release below; reading here would open a second descriptor (see PidFileGuard's comment)
            assertThat(guard.isHeld()).isTrue();
        }
        assertThat(Files.readString(tmp.resolve("watcher.pid"))).isEqualTo(Long.toString(OWN_PID));
    }

    @Test
    void anUnusableDirectoryIsAViolationToo() throws Exception {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "x");

        SingletonViolationException e = catchThrowableOfType(SingletonViolationException.class,
                () -> PidFileGuard.acquire(notADir, "watcher"));

        assertThat(e.getMessage()).contains("cannot create PID file directory").contains(notADir.toString());
        assertThat(e.holderPid()).isEmpty();
    }
}

package io.stardust.kit;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A shell loop that outlives nothing: it kills {@code childPid} once this JVM is gone. Shutdown hooks cover a
 * normal exit or a failed test; this covers a JVM that was itself killed with SIGKILL.
 */
final class Watchdog {
    private Watchdog() {
    }

    static Process guard(long childPid) {
        long jvm = ProcessHandle.current().pid();
        String script = "while kill -0 " + jvm + " 2>/dev/null && kill -0 " + childPid + " 2>/dev/null; do sleep 1; done; "
                + "kill -TERM " + childPid + " 2>/dev/null; sleep 10; kill -KILL " + childPid + " 2>/dev/null; exit 0";
        try {
            return new ProcessBuilder("/bin/sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog for pid " + childPid, e);
        }
    }
}

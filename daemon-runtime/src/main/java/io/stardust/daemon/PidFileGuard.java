package io.stardust.daemon;

import io.stardust.daemon.process.ProcessNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PID-file singleton guard of the Watcher and the Liberator: an exclusive, non-blocking OS lock on
 * {@code <pidFileDir>/<daemon>.pid}, held for the life of the process. The OS drops the lock when the process
 * dies, so a crashed daemon never blocks its successor; the file itself is left behind with the last PID, for
 * forensics.
 *
 * <p>On Linux the JDK implements {@link FileChannel#tryLock()} with POSIX {@code fcntl} locks, which belong to the
 * process and are dropped when <em>any</em> descriptor of the file in that process is closed. A second attempt
 * from the same JVM must therefore never open (and close) the file while the first guard holds it, or it would
 * silently release the first guard's lock. That is why this class keeps a JVM-wide registry of held PID files:
 * it mirrors state that is process-wide in the OS, and it is the only static mutable state in this module.
 * For the same reason, code in a daemon process must not open its own PID file.
 */
public final class PidFileGuard implements AutoCloseable {

    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path registryKey;
    private final FileChannel channel;
    private final FileLock lock;
    private final long pid;
    private final AtomicBoolean released = new AtomicBoolean();

    private PidFileGuard(Path path, Path registryKey, FileChannel channel, FileLock lock, long pid) {
        this.path = path;
        this.registryKey = registryKey;
        this.channel = channel;
        this.lock = lock;
        this.pid = pid;
    }

    /** Acquires with the generic {@link SingletonViolationException}. */
    public static PidFileGuard acquire(Path pidFileDir, String daemonName) {
        return acquire(pidFileDir, daemonName, SingletonViolationException::new);
    }

    /**
     * Creates {@code pidFileDir} if missing, opens {@code <daemonName>.pid} without truncating it, takes the lock
     * without waiting, then truncates the file and writes this process's PID.
     *
     * @throws SingletonViolationException (of the type {@code violation} makes) when another process, or another
     *                                     guard in this JVM, holds the lock, naming the file and the PID it holds;
     *                                     or when the directory or file cannot be created or opened
     */
    public static PidFileGuard acquire(Path pidFileDir, String daemonName, SingletonViolationException.Factory violation) {
        Path dir = pidFileDir.toAbsolutePath().normalize();
        Path file = dir.resolve(ProcessNames.check(daemonName) + ".pid");
        long ownPid = ProcessHandle.current().pid();
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            throw violation.create("cannot create PID file directory " + dir + " for " + daemonName + ": " + e,
                    file, OptionalLong.empty(), e);
        }
        Path key = registryKey(dir, file);
        if (!HELD_BY_THIS_PROCESS.add(key)) {
            throw violation.create(heldMessage(daemonName, file, OptionalLong.of(ownPid)) + " (this process)",
                    file, OptionalLong.of(ownPid), null);
        }
        boolean success = false;
        FileChannel channel = null;
        try {
            try {
                // READ+WRITE+CREATE, deliberately without TRUNCATE_EXISTING: the holder's PID must stay readable
                // until we know we own the lock.
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                throw violation.create("cannot open PID file " + file + " for " + daemonName + ": " + e, file,
                        OptionalLong.empty(), e);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Only reachable if code outside this class locked the file in this JVM; see the class comment.
                throw violation.create(heldMessage(daemonName, file, readPid(channel)), file, readPid(channel), e);
            } catch (IOException e) {
                throw violation.create("cannot lock PID file " + file + " for " + daemonName + ": " + e, file,
                        OptionalLong.empty(), e);
            }
            if (lock == null) {
                OptionalLong holder = readPid(channel);
                throw violation.create(heldMessage(daemonName, file, holder), file, holder, null);
            }
            try {
                byte[] text = Long.toString(ownPid).getBytes(StandardCharsets.US_ASCII);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(text), 0);
                channel.force(false);
            } catch (IOException e) {
                throw violation.create("cannot write PID file " + file + " for " + daemonName + ": " + e, file,
                        OptionalLong.empty(), e);
            }
            success = true;
            return new PidFileGuard(file, key, channel, lock, ownPid);
        } finally {
            if (!success) {
                closeQuietly(channel);
                HELD_BY_THIS_PROCESS.remove(key);
            }
        }
    }

    public Path path() {
        return path;
    }

    /** The PID written to the file (this process). */
    public long pid() {
        return pid;
    }

    public boolean isHeld() {
        return !released.get() && lock.isValid();
    }

    /** Unlocks and closes the file; idempotent. The file stays, holding the last PID. */
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            lock.release();
        } catch (IOException | RuntimeException ignored) {
            // closing the channel below releases the lock anyway
        }
        closeQuietly(channel);
        HELD_BY_THIS_PROCESS.remove(registryKey);
    }

    @Override
    public void close() {
        release();
    }

    private static String heldMessage(String daemonName, Path file, OptionalLong holder) {
        return "another " + daemonName + " is already running: PID file " + file + " is locked"
                + (holder.isPresent() ? " by pid " + holder.getAsLong() : " (pid unknown)");
    }

    /** Keyed by the real directory, so two spellings of one directory (symlinks, relative paths) collide. */
    private static Path registryKey(Path dir, Path file) {
        try {
            return dir.toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            return file;
        }
    }

    /** Reads the holder's PID through our own channel (never a second descriptor; see the class comment). */
    private static OptionalLong readPid(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(64);
            int n = channel.read(buf, 0);
            if (n <= 0) {
                return OptionalLong.empty();
            }
            String text = new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return OptionalLong.of(Long.parseLong(text));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do; the descriptor is gone either way
        }
    }
}

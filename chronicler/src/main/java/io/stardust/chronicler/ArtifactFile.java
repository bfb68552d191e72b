package io.stardust.chronicler;

import io.stardust.engine.crash.HoldPoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * One job's artifact, held under an exclusive OS file lock while this worker writes it. The lock is what makes
 * resuming in place safe: the OS drops it when the writing process dies, so a worker taking over a job finds it
 * free after a crash, and finds it held when the previous owner is merely slow (then it starts a fresh file instead
 * of writing into the same one).
 *
 * <p>Each chunk is appended whole and forced to disk before the chunk's commit records the new size, so the
 * committed {@code artifact_bytes} always names a prefix that is on disk; a take-over truncates to it. With gzip,
 * every chunk is its own gzip member (a multi-member file is one valid gzip stream), so truncating at a chunk
 * boundary and appending the next members gives the same bytes as an uninterrupted run.
 */
final class ArtifactFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean gzip;

    private ArtifactFile(Path path, FileChannel channel, FileLock lock, boolean gzip) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.gzip = gzip;
    }

    /**
     * Opens (creating it and its directory) and locks the file; null when another process or worker holds it.
     *
     * @throws IOException the directory or file cannot be created (disk full, permissions)
     */
    static ArtifactFile open(Path path, boolean gzip) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        return new ArtifactFile(path, channel, lock, gzip);
    }

    Path path() {
        return path;
    }

    long size() throws IOException {
        return channel.size();
    }

    /** Cuts the file back to {@code bytes} (the committed prefix) and positions the next append there. */
    void truncate(long bytes) throws IOException {
        channel.truncate(bytes);
        channel.position(bytes);
    }

    /** The bytes one chunk adds to the file: its content, as a gzip member when compressing. */
    byte[] frame(byte[] content) throws IOException {
        if (!gzip) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(content);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} at the end and forces them to disk; a short or failed write is an IOException. */
    void append(byte[] bytes, HoldPoints holds) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int half = bytes.length / 2;
        buffer.limit(half);
        writeFully(buffer);
        holds.reached("mid_chunk");
        buffer.limit(bytes.length);
        writeFully(buffer);
        channel.force(false);
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) <= 0) {
                throw new IOException("short write to " + path);
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to flush: every chunk was forced
        }
    }

    /** Closes and deletes the file (a failed job's partial). */
    void discard() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the garbage collector retries after chroniclerOrphanedPartialTtlSeconds
        }
    }
}

package io.stardust.streams.drop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which readers are alive, by lease files next to their claimed files: {@code processing/<readerId>.lease}, whose
 * modification time the reader's heartbeat sets to now every few seconds while its process runs. A reader whose
 * {@code processing/<id>/} holds files and whose lease is older than {@code importReaderTakeoverAfter} (or absent,
 * with a directory that old) is gone: another reader may take its files over. A slow but living reader keeps its
 * lease fresh from a thread of its own, so only a dead process (or one stopped for that long) loses its files; and
 * one that was merely stopped is fenced before its files move (see {@code FileReader}), so it cannot send a line
 * again.
 */
final class ReaderLeases {
    static final String SUFFIX = ".lease";
    private final Path processingRoot;
    private final String readerId;
    private final Clock clock;

    ReaderLeases(Path dropDir, String readerId, Clock clock) {
        this.processingRoot = dropDir.toAbsolutePath().normalize().resolve(DropLayout.PROCESSING);
        this.readerId = readerId;
        this.clock = clock;
    }

    /** Renews this reader's lease. */
    void beat() throws IOException {
        Files.createDirectories(processingRoot);
        Path lease = processingRoot.resolve(readerId + SUFFIX);
        if (!Files.exists(lease)) {
            Files.writeString(lease, readerId + "\n");
        }
        Files.setLastModifiedTime(lease, FileTime.from(clock.instant()));
    }

    /** Other readers that hold claimed files and whose lease expired more than {@code after} ago. */
    List<String> expired(Duration after) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(processingRoot)) {
            return out;
        }
        Instant cutoff = clock.instant().minus(after);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(processingRoot, Files::isDirectory)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (id.equals(readerId) || !holdsFiles(dir)) {
                    continue;
                }
                Path lease = processingRoot.resolve(id + SUFFIX);
                Instant last = lastModified(Files.exists(lease) ? lease : dir);
                if (last != null && last.isBefore(cutoff)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** Forgets a reader whose files were all taken over (its lease and empty directories). */
    void release(String otherId) throws IOException {
        Files.deleteIfExists(processingRoot.resolve(otherId + SUFFIX));
    }

    Path processingOf(String otherId) {
        return processingRoot.resolve(otherId);
    }

    private static boolean holdsFiles(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.anyMatch(Files::isRegularFile);
        } catch (java.io.UncheckedIOException e) {
            return true; // changing while we look: treat as holding files, the takeover re-checks per file
        }
    }

    private static Instant lastModified(Path p) throws IOException {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

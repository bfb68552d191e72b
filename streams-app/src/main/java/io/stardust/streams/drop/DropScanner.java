package io.stardust.streams.drop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the files ready to be claimed: importable names, not {@code *.partial}, outside the managed directories,
 * and not modified for {@code importMinFileAge} (a file still being copied in keeps changing its time). Oldest first.
 */
final class DropScanner {
    private final DropLayout layout;
    private final Duration minAge;
    private final Clock clock;

    DropScanner(DropLayout layout, Duration minAge, Clock clock) {
        this.layout = layout;
        this.minAge = minAge;
        this.clock = clock;
    }

    /** Files this reader claimed earlier and has not finished (a restart resumes them). */
    List<Path> claimed() throws IOException {
        return Files.isDirectory(layout.processing()) ? walk(layout.processing(), false, Instant.MAX) : List.of();
    }

    List<Path> ready() throws IOException {
        return walk(layout.dropDir(), true, clock.instant().minus(minAge));
    }

    private List<Path> walk(Path root, boolean skipManaged, Instant modifiedBefore) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        record Found(Path path, Instant modified) {
        }
        List<Found> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return skipManaged && layout.isManaged(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                Instant modified = attrs.lastModifiedTime().toInstant();
                if (attrs.isRegularFile() && !name.endsWith(DropLayout.PARTIAL_SUFFIX)
                        && DropLayout.formatOf(name).isPresent() && modified.isBefore(modifiedBefore)) {
                    found.add(new Found(file, modified));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // claimed by another reader meanwhile
                }
                throw new UncheckedIOException(e);
            }
        });
        found.sort(Comparator.comparing(Found::modified).thenComparing(Found::path));
        return found.stream().map(Found::path).toList();
    }
}

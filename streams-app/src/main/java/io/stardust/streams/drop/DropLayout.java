package io.stardust.streams.drop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The drop directory's layout: files are dropped anywhere below it (CSV under {@code <tenantId>/<model>/}); a
 * reader claims one by renaming it into {@code processing/<readerId>/}, and moves it on to {@code done/} or
 * {@code error/}, always keeping its path relative to the drop directory.
 */
public final class DropLayout {
    public static final String PROCESSING = "processing";
    public static final String DONE = "done";
    public static final String ERROR = "error";
    /** Files still being written; renamed to their final name when complete. */
    public static final String PARTIAL_SUFFIX = ".partial";

    /** What a file holds, from its name. */
    public enum Format {
        NDJSON, CSV;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path dropDir;
    private final Path processing;

    public DropLayout(Path dropDir, String readerId) {
        this.dropDir = dropDir.toAbsolutePath().normalize();
        this.processing = this.dropDir.resolve(PROCESSING).resolve(readerId);
    }

    public Path dropDir() {
        return dropDir;
    }

    /** This reader's claimed files. */
    public Path processing() {
        return processing;
    }

    /** True for a directory the reader manages rather than a place files are dropped. */
    boolean isManaged(Path dir) {
        Path rel = dropDir.relativize(dir);
        if (rel.getNameCount() == 0 || rel.toString().isEmpty()) {
            return false;
        }
        String top = rel.getName(0).toString();
        return top.equals(PROCESSING) || top.equals(DONE) || top.equals(ERROR);
    }

    /** The format of an importable file name ({@code .ndjson}, {@code .jsonl}, {@code .csv}, each optionally {@code .gz}). */
    public static Optional<Format> formatOf(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".ndjson") || n.endsWith(".jsonl")) {
            return Optional.of(Format.NDJSON);
        }
        return n.endsWith(".csv") ? Optional.of(Format.CSV) : Optional.empty();
    }

    public static boolean gzipped(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /**
     * Claims a dropped file by renaming it into processing (atomic within one file system: of two readers racing
     * for it, one rename succeeds and the other finds the file gone). Returns the relative path, or empty if the
     * file was gone.
     */
    Optional<String> claim(Path dropped) throws IOException {
        String rel = relative(dropped);
        Path target = processing.resolve(rel);
        Files.createDirectories(target.getParent());
        try {
            Files.move(dropped, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(rel);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Moves another (dead, fenced) reader's claimed files into this reader's processing directory, keeping their
     * relative paths; returns how many moved. A file another reader moved first is skipped (each rename is atomic).
     */
    int adopt(Path otherProcessing) throws IOException {
        List<Path> files;
        try (var walk = Files.walk(otherProcessing)) {
            files = walk.filter(Files::isRegularFile).toList();
        } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
            return 0;
        }
        int moved = 0;
        for (Path f : files) {
            String rel = otherProcessing.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            Path target = processing.resolve(rel);
            if (Files.exists(target)) {
                continue; // never over a file of ours: it stays with the dead reader, named in the event
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(f, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                moved++;
            } catch (java.nio.file.NoSuchFileException e) {
                // taken by another reader meanwhile
            }
        }
        return moved;
    }

    /** The claimed file of this relative path. */
    Path claimed(String rel) {
        return processing.resolve(rel);
    }

    /** Moves a claimed file to {@code done/} or {@code error/}, never over another file; returns where it went. */
    Path finish(String rel, String outcomeDir, String importId) throws IOException {
        Path target = dropDir.resolve(outcomeDir).resolve(rel);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            target = target.resolveSibling(target.getFileName() + "." + importId.substring(0, 12));
        }
        Files.move(processing.resolve(rel), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The path relative to the drop directory (or to processing, for a claimed file), with '/' separators. */
    String relative(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = abs.startsWith(processing) ? processing : dropDir;
        return base.relativize(abs).toString().replace(java.io.File.separatorChar, '/');
    }
}

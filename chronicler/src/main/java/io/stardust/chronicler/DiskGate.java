package io.stardust.chronicler;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalDouble;

/**
 * Whether there is room to start an export: the free fraction of the artifact directory's file system (of the
 * nearest existing ancestor while the directory does not exist yet) against {@code chroniclerLowDiskThresholdPct},
 * then a probe file of {@code chroniclerDiskProbeBytes} written and deleted in the directory, which catches what
 * the free-space figure does not (quotas, a read-only mount, a full inode table).
 */
final class DiskGate {
    private final Path artifactDir;
    private final double thresholdPct;
    private final int probeBytes;

    DiskGate(Path artifactDir, double thresholdPct, int probeBytes) {
        this.artifactDir = artifactDir;
        this.thresholdPct = thresholdPct;
        this.probeBytes = probeBytes;
    }

    /** The verdict: null when there is room, else why not (with the free fraction when known). */
    Pressure check() {
        OptionalDouble free = freePct();
        if (free.isPresent() && free.getAsDouble() < thresholdPct) {
            return new Pressure(free.getAsDouble(), "below_threshold");
        }
        if (probeBytes > 0 && !probeWrites()) {
            return new Pressure(free.orElse(-1), "probe_write_failed");
        }
        return null;
    }

    record Pressure(double freePct, String cause) {
    }

    Path artifactDir() {
        return artifactDir;
    }

    double thresholdPct() {
        return thresholdPct;
    }

    /** Free over total bytes; empty when the file system cannot say (treated as no pressure, as upstream). */
    OptionalDouble freePct() {
        try {
            Path probe = artifactDir.toAbsolutePath();
            while (probe != null && !Files.exists(probe)) {
                probe = probe.getParent();
            }
            if (probe == null) {
                return OptionalDouble.empty();
            }
            FileStore store = Files.getFileStore(probe);
            long total = store.getTotalSpace();
            return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of((double) store.getUsableSpace() / total);
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    private boolean probeWrites() {
        Path file = null;
        try {
            Files.createDirectories(artifactDir);
            file = Files.createTempFile(artifactDir, ".disk_probe_", ".tmp");
            try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(probeBytes);
                while (zeros.hasRemaining()) {
                    if (channel.write(zeros) <= 0) {
                        return false;
                    }
                }
                channel.force(false);
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover probe is tiny and named .disk_probe_*
                }
            }
        }
    }
}

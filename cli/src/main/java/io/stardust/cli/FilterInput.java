package io.stardust.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a wire-format filter document from a file or, for {@code -}, stdin, as raw bytes (the decoder checks UTF-8). */
final class FilterInput {
    private FilterInput() {
    }

    static byte[] read(String input) {
        try {
            if ("-".equals(input)) {
                return System.in.readAllBytes();
            }
            Path file = Path.of(input);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new UsageException("cannot read " + input);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + input + ": " + e.getMessage());
        }
    }
}

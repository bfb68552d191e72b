package io.stardust.streams.drop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * One pass over a claimed file before any line is sent: its import id and, for a {@code .gz}, that it
 * decompresses to its end (a truncated or corrupt archive fails as a whole instead of after some of its lines
 * were imported). The import id is the SHA-256 (lower-case hex) of the bytes as stored (a {@code .gz} is hashed
 * compressed), preceded for a CSV by its {@code <tenantId>/<model>/} directory: a CSV's rows mean different
 * entries in another tenant's or model's directory, an NDJSON line names its own.
 */
public final class FileCheck {
    private FileCheck() {
    }

    /** The import id; an {@link IOException} if the file cannot be read or a .gz is corrupt. */
    public static String importId(Path file, boolean gzipped, String csvDirectory) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        if (csvDirectory != null) {
            sha.update((csvDirectory + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha)) {
            if (gzipped) {
                try (InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                    gz.transferTo(OutputStream.nullOutputStream());
                }
            } else {
                raw.transferTo(OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

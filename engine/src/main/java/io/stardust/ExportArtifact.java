package io.stardust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A completed export's file, for download: stream it with {@link #open()}, or read byte ranges of {@link #path()}.
 *
 * @param fileName    a download name, {@code export_<jobId>.<format>[.gz]}
 * @param contentType the format's media type, or {@code application/gzip} when compressed
 */
public record ExportArtifact(long jobId, Path path, long size, String fileName, String contentType) {

    /** The file from its start; the caller closes it. */
    public InputStream open() throws IOException {
        return Files.newInputStream(path);
    }
}

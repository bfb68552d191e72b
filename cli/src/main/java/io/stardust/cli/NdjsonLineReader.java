package io.stardust.cli;

import io.stardust.engine.text.StrictUtf8;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits NDJSON input into lines of bytes ({@code \n}-terminated, one trailing {@code \r} dropped) and decodes each
 * line on its own as strict UTF-8. A Reader would replace invalid bytes with U+FFFD and store text nobody sent;
 * decoding per line lets one bad line fail alone while the rest of the stream is read.
 */
final class NdjsonLineReader {
    /** One input line: its text, or why it has none; {@code bytes} includes the terminator (for progress). */
    record Line(long number, long bytes, String text, String error) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private long number;

    NdjsonLineReader(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        int length = 0;
        boolean terminated = false;
        boolean any = false;
        while (!terminated) {
            if (pos == limit) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                pos = 0;
                limit = n;
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            length = append(length, start, pos - start);
            if (pos < limit) {
                pos++;
                terminated = true;
            }
        }
        if (!any) {
            return null;
        }
        number++;
        long bytes = length + (terminated ? 1 : 0);
        int textLength = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        try {
            return new Line(number, bytes, new String(StrictUtf8.decode(line, 0, textLength)), null);
        } catch (StrictUtf8.InvalidUtf8Exception e) {
            return new Line(number, bytes, null, e.getMessage());
        }
    }

    private int append(int length, int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(buffer, from, line, length, count);
        return length + count;
    }
}

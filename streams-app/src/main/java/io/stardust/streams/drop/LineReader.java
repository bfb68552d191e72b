package io.stardust.streams.drop;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as bytes (split at {@code \n}, a trailing {@code \r} dropped) keeping at most {@code maxBytes} of a
 * line: a longer line is consumed to its end and reported by its length only, so memory is bounded by the limit
 * whatever the file holds.
 */
final class LineReader implements AutoCloseable {
    /** One line: its bytes, or null with {@code length} when it was longer than the limit. */
    record Line(long number, byte[] bytes, long length) {
        boolean oversized() {
            return bytes == null;
        }

        boolean blank() {
            if (bytes == null) {
                return false;
            }
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return true;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long number;

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        byte[] line = new byte[Math.min(maxBytes, 256)];
        int len = 0;
        long total = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            byte b = buf[pos++];
            if (b == '\n') {
                break;
            }
            total++;
            if (total <= maxBytes) {
                if (len == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
                }
                line[len++] = b;
            }
        }
        number++;
        if (total > maxBytes) {
            return new Line(number, null, total);
        }
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return new Line(number, Arrays.copyOf(line, len), len);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

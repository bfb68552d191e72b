package io.stardust.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.BulkIngestResult;
import io.stardust.EntryPayload;
import io.stardust.StarDust;
import io.stardust.daemon.http.HttpError;
import io.stardust.engine.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST .../entries:bulk}: an NDJSON body, one entry's fields object per line, read as it arrives and
 * written in batches through the engine's bulk write (one transaction per batch, outbox events included). Memory
 * is bounded by one batch and one line, whatever the body's size. A batch the engine rolls back is written again
 * line by line, so every line gets its own result: {@code {"line":n,"status":201,"id":...}} or
 * {@code {"line":n,"status":4xx,"error":...,"message":...}}. Blank lines are skipped.
 */
final class BulkWrites {
    /** Lines per engine call: its chunk size, so a batch is one transaction. */
    static final int BATCH = 500;

    private final StarDust engine;
    private final int maxLineBytes;
    private final int maxLines;

    BulkWrites(StarDust engine, int maxLineBytes, int maxLines) {
        this.engine = engine;
        this.maxLineBytes = maxLineBytes;
        this.maxLines = maxLines;
    }

    ObjectNode write(long tenant, int modelId, InputStream body) {
        ObjectNode root = Json.object();
        ArrayNode results = root.putArray("results");
        List<Integer> lineNumbers = new ArrayList<>();
        List<EntryPayload> batch = new ArrayList<>();
        int[] counts = new int[2]; // written, failed
        LineReader lines = new LineReader(body, maxLineBytes);
        int lineNo = 0;
        int entries = 0;
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            lineNo++;
            boolean tooLong = line == LineReader.TOO_LONG;
            if (!tooLong && new String(line, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                continue;
            }
            if (++entries > maxLines) {
                throw new HttpError(413, "payload_too_large", "a bulk body may hold at most " + maxLines
                        + " entries; line " + lineNo + " is one too many (the lines before it were written)");
            }
            if (tooLong) {
                fail(results, counts, lineNo, 413, "payload_too_large", "line exceeds " + maxLineBytes + " bytes");
                continue;
            }
            try {
                batch.add(new EntryPayload(tenant, modelId, JsonBodies.object(line, "line " + lineNo)));
                lineNumbers.add(lineNo);
            } catch (HttpError e) {
                fail(results, counts, lineNo, e.status(), e.code(), e.getMessage());
            }
            if (batch.size() == BATCH) {
                flush(batch, lineNumbers, results, counts);
            }
        }
        flush(batch, lineNumbers, results, counts);
        root.put("written", counts[0]);
        root.put("failed", counts[1]);
        return root;
    }

    private void flush(List<EntryPayload> batch, List<Integer> lineNumbers, ArrayNode results, int[] counts) {
        if (batch.isEmpty()) {
            return;
        }
        BulkIngestResult r = engine.bulkWrite(batch);
        if (r.chunks().size() == 1 && r.chunks().get(0).committed()) {
            List<Long> ids = r.chunks().get(0).entryIds();
            for (int i = 0; i < ids.size(); i++) {
                results.addObject().put("line", lineNumbers.get(i)).put("status", 201).put("id", ids.get(i));
                counts[0]++;
            }
        } else {
            // One bad entry rolled the batch back: each line alone tells which.
            for (int i = 0; i < batch.size(); i++) {
                try {
                    long id = engine.write(batch.get(i)).entryId();
                    results.addObject().put("line", lineNumbers.get(i)).put("status", 201).put("id", id);
                    counts[0]++;
                } catch (RuntimeException e) {
                    HttpError error = EngineErrors.of(e);
                    if (error == null) {
                        throw e;
                    }
                    fail(results, counts, lineNumbers.get(i), error.status(), error.code(), error.getMessage());
                }
            }
        }
        batch.clear();
        lineNumbers.clear();
    }

    private static void fail(ArrayNode results, int[] counts, int line, int status, String code, String message) {
        results.addObject().put("line", line).put("status", status).put("error", code).put("message", message);
        counts[1]++;
    }

    /** Lines of at most {@code max} bytes ({@link #TOO_LONG} for a longer one, which is skipped to its end). */
    static final class LineReader {
        static final byte[] TOO_LONG = new byte[0];

        private final InputStream in;
        private final int max;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int len;
        private boolean eof;

        LineReader(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The next line without its terminator ({@code \n} or {@code \r\n}); null at the end. */
        byte[] next() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == len) {
                    if (eof || !fill()) {
                        return any ? finish(line, tooLong) : null;
                    }
                }
                any = true;
                byte b = buf[pos++];
                if (b == '\n') {
                    return finish(line, tooLong);
                }
                if (!tooLong) {
                    line.write(b);
                    if (line.size() > max + 1) { // +1: a '\r' before the '\n'
                        tooLong = true;
                        line.reset();
                    }
                }
            }
        }

        private static byte[] finish(ByteArrayOutputStream line, boolean tooLong) {
            if (tooLong) {
                return TOO_LONG;
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            return bytes;
        }

        private boolean fill() {
            try {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                    return false;
                }
                pos = 0;
                len = n;
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

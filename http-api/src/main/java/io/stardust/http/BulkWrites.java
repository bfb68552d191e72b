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

    /** One non-blank line of the current batch: its payload, or the reply it already has. */
    private record Pending(int line, EntryPayload payload, ObjectNode result) {
    }

    ObjectNode write(long tenant, int modelId, InputStream body) {
        ObjectNode root = Json.object();
        ArrayNode results = root.putArray("results");
        List<Pending> batch = new ArrayList<>();
        LineReader lines = new LineReader(body, maxLineBytes);
        int lineNo = 0;
        int entries = 0;
        int payloads = 0;
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            lineNo++;
            boolean tooLong = line == LineReader.TOO_LONG;
            if (!tooLong && new String(line, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                continue;
            }
            if (++entries > maxLines) {
                flush(batch, results);
                throw new HttpError(413, "payload_too_large", "a bulk body may hold at most " + maxLines
                        + " entries; line " + lineNo + " is one too many (the " + maxLines + " before it were"
                        + " processed: " + countWritten(results) + " written)");
            }
            if (tooLong) {
                batch.add(new Pending(lineNo, null, failure(lineNo, 413, "payload_too_large",
                        "line exceeds " + maxLineBytes + " bytes")));
            } else {
                try {
                    batch.add(new Pending(lineNo, new EntryPayload(tenant, modelId,
                            JsonBodies.object(line, "line " + lineNo)), null));
                    payloads++;
                } catch (HttpError e) {
                    batch.add(new Pending(lineNo, null, failure(lineNo, e.status(), e.code(), e.getMessage())));
                }
            }
            if (payloads == BATCH) {
                flush(batch, results);
                payloads = 0;
            }
        }
        flush(batch, results);
        int written = countWritten(results);
        root.put("written", written);
        root.put("failed", results.size() - written);
        return root;
    }

    /** Writes the batch's payloads in one engine call, then appends every line's result in line order. */
    private void flush(List<Pending> batch, ArrayNode results) {
        List<EntryPayload> payloads = batch.stream().filter(p -> p.payload() != null).map(Pending::payload).toList();
        List<ObjectNode> written = new ArrayList<>();
        if (!payloads.isEmpty()) {
            BulkIngestResult r = engine.bulkWrite(payloads);
            if (r.chunks().size() == 1 && r.chunks().get(0).committed()) {
                r.chunks().get(0).entryIds().forEach(id -> written.add(Json.object().put("status", 201).put("id", id)));
            } else {
                // One bad entry rolled the batch back: each line alone tells which.
                for (EntryPayload p : payloads) {
                    written.add(writeOne(p));
                }
            }
        }
        int next = 0;
        for (Pending p : batch) {
            if (p.result() != null) {
                results.add(p.result());
            } else {
                results.addObject().put("line", p.line()).setAll(written.get(next++));
            }
        }
        batch.clear();
    }

    private static int countWritten(ArrayNode results) {
        int written = 0;
        for (var r : results) {
            written += r.get("status").asInt() == 201 ? 1 : 0;
        }
        return written;
    }

    private ObjectNode writeOne(EntryPayload p) {
        try {
            return Json.object().put("status", 201).put("id", engine.write(p).entryId());
        } catch (RuntimeException e) {
            HttpError error = EngineErrors.of(e);
            if (error == null) {
                throw e;
            }
            return Json.object().put("status", error.status()).put("error", error.code()).put("message", error.getMessage());
        }
    }

    private static ObjectNode failure(int line, int status, String code, String message) {
        return Json.object().put("line", line).put("status", status).put("error", code).put("message", message);
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

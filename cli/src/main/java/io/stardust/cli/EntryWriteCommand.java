package io.stardust.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.BulkIngestResult;
import io.stardust.EntryPayload;
import io.stardust.ModelSummary;
import io.stardust.StarDust;
import io.stardust.engine.json.Json;
import io.stardust.cli.progress.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Streams NDJSON (one field map per line) into a model through the bulk path, {@value #CHUNK} lines per
 * transaction. Memory is bounded by one chunk whatever the input size.
 *
 * <p>Bad lines never stop the load: a line that is not valid UTF-8 or not exactly one JSON object is reported and
 * skipped; a chunk that the engine rolls back (an uncoercible value, say) is retried entry by entry so only the bad
 * lines are reported and the others land. Crash behaviour: each chunk is one transaction, so a kill leaves whole chunks only; the command is
 * not idempotent (a re-run writes the lines again), which the summary line's counts make visible.
 */
@Command(name = "entry:write", mixinStandardHelpOptions = true,
        description = "Write NDJSON entries (one JSON object of fields per line) from FILE or stdin (-).")
final class EntryWriteCommand implements Callable<Integer> {
    static final int CHUNK = 500;

    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Input file, or - (default) for stdin.")
    String input = "-";

    private long written;
    private long failed;

    @Override
    public Integer call() throws IOException {
        boolean stdin = "-".equals(input);
        Path file = stdin ? null : Path.of(input);
        if (file != null && !Files.isReadable(file)) {
            throw new UsageException("cannot read " + input);
        }
        try (StarDust engine = connection.open();
             InputStream raw = stdin ? System.in : Files.newInputStream(file);
             Progress progress = Progress.onStderr("entry:write", "lines", file == null ? 0 : countLines(file))) {
            int modelId = engine.findModel(tenant, model).map(ModelSummary::modelId)
                    .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + model + "'"));
            NdjsonLineReader lines = new NdjsonLineReader(raw);
            List<Line> chunk = new ArrayList<>(CHUNK);
            NdjsonLineReader.Line line;
            while ((line = lines.next()) != null) {
                progress.advance(1);
                if (line.error() != null) {
                    report(line.number(), line.error());
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                ObjectNode fields = parse(line.number(), line.text());
                if (fields != null) {
                    chunk.add(new Line(line.number(), new EntryPayload(tenant, modelId, fields)));
                }
                if (chunk.size() == CHUNK) {
                    flush(engine, chunk);
                }
            }
            flush(engine, chunk);
        }
        System.out.println("wrote " + written + " entries, " + failed + " failed");
        return failed == 0 ? 0 : Failures.FATAL;
    }

    private record Line(long number, EntryPayload payload) {
    }

    private ObjectNode parse(long lineNo, String text) {
        try {
            JsonNode node = Json.parse(text);
            if (node.isObject()) {
                return (ObjectNode) node;
            }
            report(lineNo, "expected a JSON object of fields, got " + node.getNodeType().name().toLowerCase());
        } catch (JsonProcessingException e) {
            report(lineNo, "not valid JSON: " + e.getOriginalMessage());
        }
        return null;
    }

    private void flush(StarDust engine, List<Line> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        BulkIngestResult result = engine.bulkWrite(chunk.stream().map(Line::payload).toList());
        if (result.entriesCommitted() == chunk.size()) {
            written += chunk.size();
        } else {
            for (Line line : chunk) { // isolate the bad lines; the good ones still land
                try {
                    engine.write(line.payload());
                    written++;
                } catch (RuntimeException e) {
                    report(line.number(), Failures.oneLine(e));
                }
            }
        }
        chunk.clear();
    }

    private void report(long lineNo, String reason) {
        failed++;
        PrintStream err = System.err;
        err.println("line " + lineNo + ": " + reason);
    }

    /**
     * Lines in the file, for the progress total: one sequential read that counts newlines (and a last line without
     * one), cheap next to writing the entries; stdin has no total and is reported as a count.
     */
    private static long countLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[n - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }
}

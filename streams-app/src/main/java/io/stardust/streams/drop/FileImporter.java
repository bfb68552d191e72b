package io.stardust.streams.drop;

import io.stardust.streams.wire.ImportHeaders;
import io.stardust.streams.wire.ImportProgress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Streams one claimed file's lines to the imports topic. Every {@code importBatchLines} lines are one Kafka
 * transaction that also writes the import's progress (the last line in it) to the progress topic, so the lines
 * and the position are committed together or not at all; reading starts after the committed position. The last
 * transaction also carries the end marker (how many data lines the file had) and the state {@code read}.
 */
final class FileImporter {
    /** How an import ended in this run. */
    enum Result { READ, STOPPED }

    /** What the importer needs to know of the app's settings. */
    record Settings(String importsTopic, String progressTopic, int batchLines, int maxLineBytes) {
    }

    private final Producer<String, byte[]> producer;
    private final Settings settings;
    private final ProgressLog progress;
    private final Clock clock;
    private final BooleanSupplier stopRequested;

    FileImporter(Producer<String, byte[]> producer, Settings settings, ProgressLog progress, Clock clock,
                 BooleanSupplier stopRequested) {
        this.producer = producer;
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
        this.stopRequested = stopRequested;
    }

    /**
     * Sends the file's lines after {@code from}'s position. Returns {@link Result#STOPPED} when a stop was
     * requested between two transactions (the position is committed; a restart resumes there).
     *
     * @throws ImportFileException when the file cannot be imported as a whole (a CSV outside tenant/model)
     * @throws IOException         when the file cannot be read
     */
    Result run(Path file, ImportProgress from) throws IOException {
        String tenant = null;
        String model = null;
        boolean csv = DropLayout.Format.CSV.wire().equals(from.format());
        if (csv) {
            String[] parts = from.file().split("/");
            if (parts.length != 3) {
                throw new ImportFileException("a CSV file must be in <dropDir>/<tenantId>/<model>/, got " + from.file());
            }
            tenant = parts[0];
            model = parts[1];
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (DropLayout.gzipped(file.getFileName().toString())) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        try (LineReader lines = new LineReader(in, settings.maxLineBytes())) {
            String header = null;
            long dataLines = from.dataLines();
            long position = from.position();
            int inTransaction = 0;
            for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.blank()) {
                    continue;
                }
                if (csv && header == null) {
                    if (line.oversized()) {
                        throw new ImportFileException("the CSV header row (line " + line.number() + ") is longer than"
                                + " importMaxLineBytes");
                    }
                    header = new String(line.bytes(), StandardCharsets.UTF_8);
                    continue;
                }
                if (line.number() <= from.position()) {
                    continue; // committed before a restart
                }
                if (inTransaction == 0) {
                    producer.beginTransaction();
                }
                producer.send(lineRecord(from, line, tenant, model, header));
                dataLines++;
                position = line.number();
                if (++inTransaction == settings.batchLines()) {
                    commit(from.at(ImportProgress.READING, position, dataLines, null, clock.instant()), null);
                    inTransaction = 0;
                    if (stopRequested.getAsBoolean()) {
                        return Result.STOPPED;
                    }
                }
            }
            if (inTransaction == 0) {
                producer.beginTransaction();
            }
            commit(from.at(ImportProgress.READ, position, dataLines, null, clock.instant()), endMarker(from, dataLines));
            return Result.READ;
        }
    }

    /** Commits a progress record alone (claimed, failed), in its own transaction. */
    void record(ImportProgress p) {
        producer.beginTransaction();
        commit(p, null);
    }

    private void commit(ImportProgress p, ProducerRecord<String, byte[]> end) {
        if (end != null) {
            producer.send(end);
        }
        producer.send(new ProducerRecord<>(settings.progressTopic(), p.importId(), p.toJson().getBytes(StandardCharsets.UTF_8)));
        producer.commitTransaction();
        progress.committed(p);
    }

    private ProducerRecord<String, byte[]> lineRecord(ImportProgress imp, LineReader.Line line, String tenant, String model,
                                                      String header) {
        RecordHeaders h = headers(imp);
        ImportHeaders.put(h, ImportHeaders.LINE, Long.toString(line.number()));
        String key;
        if (tenant != null) {
            ImportHeaders.put(h, ImportHeaders.TENANT, tenant);
            ImportHeaders.put(h, ImportHeaders.MODEL, model);
            ImportHeaders.put(h, ImportHeaders.CSV_HEADER, header);
            key = tenant;
        } else {
            key = line.oversized() ? imp.importId() : TenantPeek.of(line.bytes()).orElse(imp.importId());
        }
        if (line.oversized()) {
            ImportHeaders.put(h, ImportHeaders.OVERSIZED, Long.toString(line.length()));
        }
        return new ProducerRecord<>(settings.importsTopic(), null, key, line.oversized() ? new byte[0] : line.bytes(), h);
    }

    private ProducerRecord<String, byte[]> endMarker(ImportProgress imp, long dataLines) {
        RecordHeaders h = headers(imp);
        ImportHeaders.put(h, ImportHeaders.END, Long.toString(dataLines));
        return new ProducerRecord<>(settings.importsTopic(), null, imp.importId(), new byte[0], h);
    }

    private static RecordHeaders headers(ImportProgress imp) {
        RecordHeaders h = new RecordHeaders();
        ImportHeaders.put(h, ImportHeaders.IMPORT_ID, imp.importId());
        ImportHeaders.put(h, ImportHeaders.FILE, imp.file());
        ImportHeaders.put(h, ImportHeaders.FORMAT, imp.format());
        return h;
    }
}

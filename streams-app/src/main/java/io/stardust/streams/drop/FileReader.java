package io.stardust.streams.drop;

import io.stardust.engine.event.EventLog;
import io.stardust.streams.wire.ImportProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The file reader thread: resumes this reader's claimed files, then claims ready files one at a time and imports
 * each ({@link FileImporter}), moving it to {@code done/} or {@code error/}. A file whose content was already read
 * (same import id) goes to {@code done/} without sending anything. A Kafka failure aborts the open transaction:
 * the producer is recreated (its {@code initTransactions} resolves what the old one left) and the file is read
 * again from its committed position. Another reader with the same id fences this one: that ends the thread with
 * the failure (two processes must not share an {@code importReaderId}).
 *
 * <p>Takeover: a heartbeat thread renews this reader's lease ({@link ReaderLeases}) while the process lives. When
 * idle, the reader looks for readers whose lease expired {@code takeoverAfter} ago with files still claimed; for
 * each it first fences that reader's transactional id ({@code initTransactions} with it: its open transaction is
 * aborted and it can never commit again, even if it was only stopped), then moves its files into its own
 * {@code processing/}, and restarts its loop, which reloads the committed positions and resumes those files
 * after their last committed line: no line lost, none sent twice.
 */
public final class FileReader implements AutoCloseable {
    /** What the reader needs of the app's settings. */
    public record Settings(String bootstrap, String readerId, Duration minFileAge, Duration pollInterval,
                           FileImporter.Settings importer, Duration takeoverAfter) {
        public Settings(String bootstrap, String readerId, Duration minFileAge, Duration pollInterval, String importsTopic,
                        String progressTopic, int batchLines, int maxLineBytes, Duration takeoverAfter) {
            this(bootstrap, readerId, minFileAge, pollInterval,
                    new FileImporter.Settings(importsTopic, progressTopic, batchLines, maxLineBytes), takeoverAfter);
        }
    }

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Settings settings;
    private final DropLayout layout;
    private final DropScanner scanner;
    private final Clock clock;
    private final EventLog events;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Thread thread;
    private final Thread heartbeat;
    private final ReaderLeases leases;

    private FileReader(Settings settings, Path dropDir, Clock clock, EventLog events) {
        this.settings = settings;
        this.layout = new DropLayout(dropDir, settings.readerId());
        this.leases = new ReaderLeases(dropDir, settings.readerId(), clock);
        this.heartbeat = new Thread(this::beat, "stardust-import-reader-lease");
        this.heartbeat.setDaemon(true);
        this.scanner = new DropScanner(layout, settings.minFileAge(), clock);
        this.clock = clock;
        this.events = events;
        this.thread = new Thread(this::run, "stardust-import-reader");
    }

    public static FileReader start(Settings settings, Path dropDir, Clock clock, EventLog events) {
        FileReader r = new FileReader(settings, dropDir, clock, events);
        r.heartbeat.start();
        r.thread.start();
        return r;
    }

    /** Renews the lease a few times per takeover period, whatever the reader thread is doing. */
    private void beat() {
        long everyMs = Math.max(100, Math.min(settings.pollInterval().toMillis(), settings.takeoverAfter().toMillis() / 4));
        try {
            while (!stopRequested()) {
                try {
                    leases.beat();
                } catch (IOException e) {
                    events.warning("reader_lease_failed", "reason", String.valueOf(e.getMessage()));
                }
                pause(Duration.ofMillis(everyMs));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes when the thread ends: normally after {@link #close()}, exceptionally on a fatal failure. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    private void run() {
        try {
            while (!stopRequested()) {
                try (Producer<String, byte[]> producer = producer()) {
                    producer.initTransactions();
                    ProgressLog progress = ProgressLog.load(settings.bootstrap(), settings.importer().progressTopic(), KAFKA_TIMEOUT);
                    FileImporter importer = new FileImporter(producer, settings.importer(), progress, clock, this::stopRequested);
                    readUntilStopped(importer, progress);
                } catch (ProducerFencedException e) {
                    throw e;
                } catch (KafkaException e) {
                    events.warning("import_transaction_aborted", "reason", String.valueOf(e.getMessage()));
                    pause(RETRY_BACKOFF);
                }
            }
            finished.complete(null);
        } catch (Throwable t) {
            events.error("reader_failed", t, "reason", String.valueOf(t.getMessage()));
            finished.completeExceptionally(t);
        }
    }

    private void readUntilStopped(FileImporter importer, ProgressLog progress) throws IOException, InterruptedException {
        for (Path claimed : scanner.claimed()) {
            if (stopRequested() || !handle(claimed, importer, progress)) {
                return;
            }
        }
        while (!stopRequested()) {
            boolean any = false;
            for (Path ready : scanner.ready()) {
                if (stopRequested()) {
                    return;
                }
                Optional<String> rel = layout.claim(ready);
                if (rel.isPresent()) {
                    any = true;
                    if (!handle(layout.claimed(rel.get()), importer, progress)) {
                        return;
                    }
                }
            }
            if (!any) {
                if (takeOver()) {
                    return; // the caller reloads the committed positions and resumes the adopted files
                }
                pause(settings.pollInterval());
            }
        }
    }

    /** Imports one claimed file; false when it was left half-read because a stop was requested. */
    private boolean handle(Path file, FileImporter importer, ProgressLog progress) throws IOException {
        String rel = layout.relative(file);
        String name = file.getFileName().toString();
        DropLayout.Format format = DropLayout.formatOf(name).orElseThrow();
        String csvDir = format == DropLayout.Format.CSV ? csvDirectory(rel) : null;
        String importId;
        try {
            importId = FileCheck.importId(file, DropLayout.gzipped(name), csvDir);
        } catch (IOException e) {
            String id = "unreadable-" + Integer.toHexString(rel.hashCode()) + "-" + clock.millis();
            fail(importer, new ImportProgress(id, rel, format.wire(), ImportProgress.CLAIMED, 0, 0, null, clock.instant()),
                    "cannot read the file: " + e);
            return true;
        }
        Optional<ImportProgress> known = progress.get(importId);
        if (known.isPresent() && known.get().state().equals(ImportProgress.READ)) {
            Path to = layout.finish(rel, DropLayout.DONE, importId);
            events.info("import_duplicate", "import_id", importId, "file", rel, "first_file", known.get().file(),
                    "moved_to", to.toString());
            return true;
        }
        ImportProgress from;
        if (known.isPresent()) {
            // same content, read before a restart (or failed earlier): continue after its committed position
            from = new ImportProgress(importId, rel, format.wire(), ImportProgress.READING, known.get().position(),
                    known.get().dataLines(), null, clock.instant());
            events.info("import_resumed", "import_id", importId, "file", rel, "position", from.position());
        } else {
            from = new ImportProgress(importId, rel, format.wire(), ImportProgress.CLAIMED, 0, 0, null, clock.instant());
            importer.record(from);
            events.info("import_claimed", "import_id", importId, "file", rel, "format", format.wire());
        }
        FileImporter.Result result;
        try {
            result = importer.run(file, from);
        } catch (ImportFileException | IOException e) {
            fail(importer, from, e instanceof ImportFileException ? e.getMessage() : "cannot read the file: " + e);
            return true;
        }
        if (result == FileImporter.Result.STOPPED) {
            return false;
        }
        ImportProgress read = progress.get(importId).orElseThrow();
        Path to = layout.finish(rel, DropLayout.DONE, importId);
        events.info("import_read", "import_id", importId, "file", rel, "lines", read.dataLines(), "moved_to", to.toString());
        return true;
    }

    /** Adopts the files of readers whose lease expired; true if any file moved here. */
    private boolean takeOver() throws IOException {
        boolean adopted = false;
        for (String dead : leases.expired(settings.takeoverAfter())) {
            try (Producer<String, byte[]> fence = producer(dead)) {
                fence.initTransactions(); // aborts its open transaction; it can never commit again
            }
            int moved = layout.adopt(leases.processingOf(dead));
            leases.release(dead);
            events.warning("import_reader_taken_over", "dead_reader_id", dead, "files", moved);
            adopted |= moved > 0;
        }
        return adopted;
    }

    private void fail(FileImporter importer, ImportProgress p, String reason) throws IOException {
        importer.record(p.at(ImportProgress.FAILED, p.position(), p.dataLines(), reason, clock.instant()));
        Path to = layout.finish(p.file(), DropLayout.ERROR, p.importId());
        events.warning("import_failed", "import_id", p.importId(), "file", p.file(), "reason", reason, "moved_to", to.toString());
    }

    /** {@code <tenantId>/<model>/} of a CSV's relative path, or its whole directory when it is not two deep. */
    private static String csvDirectory(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash + 1);
    }

    private Producer<String, byte[]> producer() {
        return producer(settings.readerId());
    }

    private Producer<String, byte[]> producer(String readerId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stardust-import-reader-" + readerId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private boolean stopRequested() {
        return stop.getCount() == 0;
    }

    private void pause(Duration d) throws InterruptedException {
        stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops between two transactions (a file being read stays claimed, its position committed) and waits. */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join();
        heartbeat.join();
    }
}

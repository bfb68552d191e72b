package io.stardust.bench.versus;

import io.stardust.gateway.consumer.IngestLoop;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter.Committed;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * How busy the gateways' writers were during a drain: batches committed, records per batch, and the time from a
 * batch's hand-over to the writer to its commit being seen. Busy time well under the window's length means the
 * writer waited for its next batch (the consumer shell), not for MySQL.
 */
final class WriterTimes implements IngestLoop.CommitListener {
    private final LongAdder batches = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();

    @Override
    public void committed(Batch batch, Committed result, Duration latency) {
        batches.increment();
        records.add(batch.records().size());
        busyNanos.add(latency.toNanos());
    }

    String describe(double windowSeconds, int writers) {
        long b = Math.max(1, batches.sum());
        double busy = busyNanos.sum() / 1e9;
        return String.format(Locale.ROOT, "writers: %,d batches, %.0f records/batch, %.0f ms/batch from hand-over to commit,"
                        + " busy %.0f %% of the window per writer", batches.sum(), records.sum() / (double) b, busy * 1e3 / b,
                100 * busy / writers / windowSeconds);
    }
}

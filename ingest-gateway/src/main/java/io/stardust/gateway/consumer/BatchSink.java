package io.stardust.gateway.consumer;

import io.stardust.ingest.plan.RecordPlanner.Prepared;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Where the consumer hands a batch: written off the consumer thread, the result arriving later. */
@FunctionalInterface
public interface BatchSink {
    CompletableFuture<BatchWriter.Result> submit(Batch batch);

    /**
     * Plans the next batch's records ahead, while the batch in flight is written (called on the consumer thread;
     * nothing is read or written). The default plans nothing ahead.
     */
    default Prepared prepare(List<SourceRecord> records) {
        return Prepared.NONE;
    }

    /** The writer on its own thread, so a slow or unavailable MySQL never blocks {@code poll()}. */
    static BatchSink on(BatchWriter writer, Executor writerThread) {
        return new BatchSink() {
            @Override
            public CompletableFuture<BatchWriter.Result> submit(Batch batch) {
                return CompletableFuture.supplyAsync(() -> writer.write(batch), writerThread);
            }

            @Override
            public Prepared prepare(List<SourceRecord> records) {
                return writer.prepare(records);
            }
        };
    }
}

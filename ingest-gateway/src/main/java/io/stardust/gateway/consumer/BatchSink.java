package io.stardust.gateway.consumer;

import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Where the consumer hands a batch: written off the consumer thread, the result arriving later. */
@FunctionalInterface
public interface BatchSink {
    CompletableFuture<BatchWriter.Result> submit(Batch batch);

    /** The writer on its own thread, so a slow or unavailable MySQL never blocks {@code poll()}. */
    static BatchSink on(BatchWriter writer, Executor writerThread) {
        return batch -> CompletableFuture.supplyAsync(() -> writer.write(batch), writerThread);
    }
}

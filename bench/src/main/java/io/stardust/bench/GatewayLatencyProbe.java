package io.stardust.bench;

import io.stardust.engine.crash.HoldPoints;
import io.stardust.gateway.Gateway;
import io.stardust.gateway.GatewayConfig;
import io.stardust.ingest.source.SourceRecord;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produce → durable latency of a running gateway: records are produced at a steady rate well below the backlog
 * throughput, and each record's latency is its batch's COMMIT returning minus the record's producer timestamp.
 */
public final class GatewayLatencyProbe {
    /** Lets the gateway join its group and position its partitions before the clock starts. */
    private static final long JOIN_WAIT_NANOS = 3_000_000_000L;

    /**
     * @param latencies        per record, produce → durable
     * @param batches          batches the gateway committed
     * @param writerMsPerBatch mean time of a batch in the gateway's writer (handed over → committed)
     */
    public record Result(int rate, int records, Latencies latencies, long batches, double writerMsPerBatch) {
        public double recordsPerBatch() {
            return (double) records / batches;
        }
    }

    private GatewayLatencyProbe() {
    }

    /** Starts a gateway with {@code cfg}, produces {@code count} records at {@code rate}/s, waits until all are durable. */
    public static Result run(GatewayConfig cfg, KafkaProducer<String, String> producer, int rate, int count,
                             IntFunction<ProducerRecord<String, String>> record) {
        long[] latencies = new long[count];
        AtomicLong seen = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong writeNanos = new AtomicLong();
        try (Gateway g = Gateway.start(cfg, (batch, result, latency) -> {
            batches.incrementAndGet();
            writeNanos.addAndGet(latency.toNanos());
            for (SourceRecord r : batch.records()) {
                int idx = (int) seen.getAndIncrement();
                if (idx < count) {
                    latencies[idx] = (result.committedAtMillis() - r.timestampMs()) * 1_000_000L;
                }
            }
        }, HoldPoints.NONE)) {
            LockSupport.parkNanos(JOIN_WAIT_NANOS);
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                producer.send(record.apply(i));
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            producer.flush();
            while (seen.get() < count) {
                LockSupport.parkNanos(5_000_000);
            }
        }
        return new Result(rate, count, Latencies.of(latencies), batches.get(), writeNanos.get() / 1e6 / batches.get());
    }
}

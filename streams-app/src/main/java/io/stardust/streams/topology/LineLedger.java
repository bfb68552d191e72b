package io.stardust.streams.topology;

import io.stardust.streams.wire.ImportCounts;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each import line once as landed or dead-lettered, however often its event arrives: the gateway's relay
 * publishes at least once (a crash between send and delete sends a row again), and a line quarantined again after
 * an operator rewound offsets has a second {@code dead_lettered} event. The store keeps one bit per line, in
 * chunks of {@link #CHUNK_LINES} lines keyed {@code importId/chunk} (a million-line import is about 125 KB), so it
 * is exact without holding a record per line. Input key: the import id (repartitioned, so one task sees all of an
 * import's lines).
 */
final class LineLedger implements Processor<String, byte[], String, String> {
    static final int CHUNK_LINES = 1024;
    private final String storeName;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, byte[]> seen;

    LineLedger(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, String> ctx) {
        context = ctx;
        seen = ctx.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        LandedLine l = LandedLine.fromBytes(record.key(), record.value());
        String chunkKey = l.importId() + "/" + (l.line() / CHUNK_LINES);
        int bit = (int) (l.line() % CHUNK_LINES);
        byte[] bits = seen.get(chunkKey);
        if (bits == null) {
            bits = new byte[CHUNK_LINES / 8];
        }
        if ((bits[bit >> 3] & (1 << (bit & 7))) != 0) {
            return; // counted already
        }
        bits[bit >> 3] |= (byte) (1 << (bit & 7));
        seen.put(chunkKey, bits);
        ImportCounts delta = l.reason() == null ? ImportCounts.landedLine(l.importId())
                : ImportCounts.deadLetteredLine(l.importId(), l.line(), l.reason());
        context.forward(record.withValue(delta.toJson()));
    }
}

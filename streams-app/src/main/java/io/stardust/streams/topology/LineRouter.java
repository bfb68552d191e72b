package io.stardust.streams.topology;

import io.stardust.engine.event.EventLog;
import io.stardust.streams.registry.RegistryView;
import io.stardust.streams.wire.ImportHeaders;
import io.stardust.streams.wire.LineRejection;
import io.stardust.streams.wire.RejectedLine;
import java.util.OptionalLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Validates each record of {@code stardust.imports} against the registry index (a global store: every instance
 * holds the whole registry, no MySQL per line) and forwards a {@link Routed}. The forwarded record carries only
 * the import id, file and line number as headers, which is what {@code stardust.entries} should see.
 */
final class LineRouter implements Processor<String, byte[], String, Routed> {
    private final String registryStore;
    private final EventLog events;
    private ProcessorContext<String, Routed> context;
    private LineValidator validator;

    LineRouter(String registryStore, EventLog events) {
        this.registryStore = registryStore;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, Routed> ctx) {
        context = ctx;
        KeyValueStore<String, String> store = ctx.getStateStore(registryStore);
        validator = new LineValidator(new RegistryView(store));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ImportLine line = ImportLine.of(record.headers(), record.value());
        if (line.importId() == null) {
            // not written by the file reader; nothing to account it to
            events.warning("import_record_skipped", "reason", "no " + ImportHeaders.IMPORT_ID + " header");
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        ImportHeaders.put(headers, ImportHeaders.IMPORT_ID, line.importId());
        ImportHeaders.put(headers, ImportHeaders.FILE, String.valueOf(line.file()));
        OptionalLong end = ImportHeaders.number(record.headers(), ImportHeaders.END);
        if (end.isPresent()) {
            context.forward(new Record<>(line.importId(), Routed.end(line.importId(), line.file(), end.getAsLong()),
                    record.timestamp(), headers));
            return;
        }
        ImportHeaders.put(headers, ImportHeaders.LINE, Long.toString(line.line()));
        Routed routed;
        LineOutcome outcome;
        try {
            outcome = validator.validate(line);
        } catch (RuntimeException e) {
            // a bug must not stop the partition: the line is rejected with the detail and counted
            outcome = new LineOutcome.Rejected(LineRejection.INTERNAL_ERROR, e.getClass().getName() + ": " + e.getMessage());
        }
        if (outcome instanceof LineOutcome.Accepted a) {
            routed = Routed.accepted(line.importId(), line.file(), a);
        } else {
            LineOutcome.Rejected r = (LineOutcome.Rejected) outcome;
            routed = Routed.rejected(new RejectedLine(line.importId(), line.file(), line.line(), r.reason(), r.message()));
        }
        context.forward(new Record<>(line.importId(), routed, record.timestamp(), headers));
    }
}

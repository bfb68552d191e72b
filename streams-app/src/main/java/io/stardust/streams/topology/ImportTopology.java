package io.stardust.streams.topology;

import io.stardust.engine.event.EventLog;
import io.stardust.streams.registry.RegistryIndexer;
import io.stardust.streams.wire.ImportCounts;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The import topology:
 * <pre>
 * stardust.registry ─▶ RegistryIndexer ─▶ registry index (global store)
 * stardust.imports ─▶ LineRouter (validates against the index) ─┬▶ accepted ─▶ stardust.entries (key: tenant id)
 *                                                              ├▶ rejected ─▶ stardust.imports.rejected (key: import id)
 *                                                              └▶ counts by import id ─▶ import-counts store ─▶ stardust.imports.status
 * stardust.entries.events ─▶ import line of each event ─▶ by import id ─▶ LineLedger (once per line) ─┘
 * </pre>
 * The registry is a global store with an index processor rather than a plain {@code GlobalKTable}: a table is
 * looked up by its topic's record key (table + primary key), but a line names its model by tenant and name.
 */
public final class ImportTopology {
    public static final String REGISTRY_STORE = "registry-index";
    public static final String COUNTS_STORE = "import-counts";
    public static final String LEDGER_STORE = "import-lines-landed";

    /**
     * The topics the topology reads and writes; {@code entryEvents} is the gateway's events topic, where each
     * import line's entry event (or {@code dead_lettered} event) says it left the pipeline.
     */
    public record Topics(String registry, String imports, String entries, String rejected, String status, String entryEvents) {
    }

    private ImportTopology() {
    }

    public static Topology build(Topics topics, EventLog events) {
        StreamsBuilder b = new StreamsBuilder();
        // The index is derived, so it is rebuilt from the topic (the processor runs again on restore), never logged.
        b.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(REGISTRY_STORE), Serdes.String(),
                        Serdes.String()).withLoggingDisabled(), topics.registry(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()), () -> new RegistryIndexer(REGISTRY_STORE, events));

        KStream<String, Routed> routed = b.stream(topics.imports(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new LineRouter(REGISTRY_STORE, events), Named.as("route-lines"));

        routed.filter((id, r) -> r.accepted() != null, Named.as("accepted"))
                .map((id, r) -> KeyValue.pair(Long.toString(r.accepted().tenantId()), r.accepted().envelope()), Named.as("by-tenant"))
                .to(topics.entries(), Produced.with(Serdes.String(), Serdes.ByteArray()));
        routed.filter((id, r) -> r.rejected() != null, Named.as("rejected"))
                .mapValues(r -> r.rejected().toJson(), Named.as("rejected-json"))
                .to(topics.rejected(), Produced.with(Serdes.String(), Serdes.String()));
        // The gateway's events name the import line they come from: each line is counted once as landed or
        // dead-lettered, by import id (an import's events are spread over the events topic's partitions).
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_STORE), Serdes.String(),
                Serdes.ByteArray()));
        KStream<String, String> landed = b.stream(topics.entryEvents(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMap((k, event) -> {
                    LandedLine l = LandedLine.of(event);
                    return l == null ? java.util.List.<KeyValue<String, byte[]>>of() : java.util.List.of(KeyValue.pair(l.importId(), l.toBytes()));
                }, Named.as("import-lines-of-events"))
                .repartition(Repartitioned.<String, byte[]>as("import-lines").withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()))
                .process(() -> new LineLedger(LEDGER_STORE), Named.as("count-landed-once"), LEDGER_STORE);
        // Lines of one import are spread over the tenants' partitions: the counts are regrouped by import id.
        routed.mapValues(r -> r.counts().toJson(), Named.as("counts-json"))
                .merge(landed, Named.as("with-landed"))
                .groupByKey(Grouped.with(COUNTS_STORE, Serdes.String(), Serdes.String()))
                .aggregate(() -> ImportCounts.empty().toJson(),
                        (id, delta, total) -> ImportCounts.fromJson(total).plus(ImportCounts.fromJson(delta)).toJson(),
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(COUNTS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .toStream(Named.as("counts-out"))
                .to(topics.status(), Produced.with(Serdes.String(), Serdes.String()));
        return b.build();
    }
}

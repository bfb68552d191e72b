package io.stardust.streams.backfill;

import io.stardust.engine.event.EventLog;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The backfill sub-topology:
 *
 * <pre>
 * stardust.registry ─▶ CheckpointKeyer ─▶ &lt;app&gt;-backfill-by-tenant-repartition (key: tenant) ─▶ TenantBackfillDriver
 *                      (tenant of checkpoint)                                                 (running checkpoints,
 *                                                                                              chunk punctuator)
 * </pre>
 *
 * The repartition topic has {@code partitions} partitions: instances split them, and with them the tenants; a
 * tenant's checkpoints are driven only by the instance that owns its partition.
 */
public final class BackfillTopology {
    static final String TENANTS_STORE = "backfill-checkpoint-tenants";
    static final String RUNNING_STORE = "backfill-running-checkpoints";
    static final String REPARTITION = "backfill-by-tenant";

    private BackfillTopology() {
    }

    /** How the driver paces itself and who it is in logs. */
    record Pacing(int partitions, Duration interval, int chunksPerPunctuation, String instance) {
    }

    static Topology build(String registryTopic, Pacing pacing, TenantLookup tenants, ChunkRunner runner,
                          EventLog events) {
        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TENANTS_STORE), Serdes.Long(),
                Serdes.Long()));
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUNNING_STORE), Serdes.String(),
                Serdes.String()));
        b.stream(registryTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withOffsetResetPolicy(org.apache.kafka.streams.AutoOffsetReset.earliest()))
                .process(() -> new CheckpointKeyer(TENANTS_STORE, tenants, events), TENANTS_STORE)
                .repartition(Repartitioned.<String, String>as(REPARTITION).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()).withNumberOfPartitions(pacing.partitions()))
                .process(() -> new TenantBackfillDriver(RUNNING_STORE, runner, pacing.interval(),
                        pacing.chunksPerPunctuation(), pacing.instance(), events), RUNNING_STORE);
        return b.build();
    }
}

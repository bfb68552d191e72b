package io.stardust.streams.backfill;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.engine.lifecycle.BackfillDriver;
import io.stardust.engine.lifecycle.BackfillSettings;
import java.time.Duration;
import java.util.List;

/**
 * The backfill half's settings: which process drives backfills and the lease (the engine's, shared with the
 * Reconciler), the MySQL connection the chunks run on (the engine's connection options; required only when this app
 * drives backfills), and the pacing of the chunk punctuator.
 */
public record BackfillConfig(BackfillSettings settings, StarDustConfig database, int chunkSize, int chunksPerPunctuation,
                             Duration interval, int partitions) {

    public static final ConfigOption<Integer> CHUNK_SIZE = ConfigOption.integer("streamsBackfillChunkSize", 500,
            "Entries per backfill chunk (one MySQL transaction that moves the checkpoint), as reconcilerChunkSize.")
            .between(1, 100_000);
    public static final ConfigOption<Integer> CHUNKS_PER_PUNCTUATION = ConfigOption.integer(
            "streamsBackfillChunksPerPunctuation", 4, "Most chunks one tenant partition runs per punctuation, one per"
                    + " running checkpoint in turn, so the stream thread keeps polling between them.").between(1, 1000);
    public static final ConfigOption<Duration> INTERVAL = ConfigOption.duration("streamsBackfillInterval",
            Duration.ofMillis(200), "How often each tenant partition's punctuator runs its chunks (wall clock).")
            .withValidator(d -> d.isNegative() || d.isZero() ? "must be positive" : null);
    public static final ConfigOption<Integer> PARTITIONS = ConfigOption.integer("streamsBackfillPartitions", 6,
            "Partitions of the tenant-keyed backfill repartition topic: instances split them, and the tenants with"
                    + " them. Fixed once the topic exists.").between(1, 10_000);

    /** Everything the backfill half reads, in the README's order. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(BackfillSettings.DRIVER, BackfillSettings.LEASE,
            StarDustConfig.DSN, StarDustConfig.USER, StarDustConfig.PASS, CHUNK_SIZE, CHUNKS_PER_PUNCTUATION, INTERVAL,
            PARTITIONS);

    /** The settings; the connection is required (and read) only when {@code backfillDriver} is {@code streams}. */
    public static BackfillConfig from(ConfigValues v) {
        BackfillSettings settings = BackfillSettings.from(v);
        StarDustConfig database = settings.driver() == BackfillDriver.STREAMS
                ? StarDustConfig.of(v.require(StarDustConfig.DSN), v.require(StarDustConfig.USER), v.get(StarDustConfig.PASS))
                : null;
        return new BackfillConfig(settings, database, v.get(CHUNK_SIZE), v.get(CHUNKS_PER_PUNCTUATION), v.get(INTERVAL),
                v.get(PARTITIONS));
    }

    public boolean drivesBackfills() {
        return settings.driver() == BackfillDriver.STREAMS;
    }
}

package io.stardust.cli;

import io.stardust.streams.StreamsAppConfig;
import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.ImportProgress;
import io.stardust.streams.wire.RejectedLine;
import io.stardust.streams.wire.TopicSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * File imports as the CLI shows them, read from the streams app's topics (its settings: the {@code --config}
 * file of {@code bin/stardust streams} and the environment): the reader's progress topic (claimed, reading, read,
 * failed, lines read) merged with the topology's status topic (lines accepted and rejected).
 */
final class FileImports {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One import: what the reader committed, what the topology counted (either may be missing yet). */
    record View(String importId, ImportProgress progress, ImportCounts counts, Instant claimedAt, Instant countedAt) {
        String file() {
            return progress != null ? progress.file() : counts.file();
        }

        /**
         * {@code claimed}, {@code reading}, {@code read}, {@code routed} (every line accepted or rejected),
         * {@code landed} (every accepted line also written or dead-lettered by the gateway) or {@code failed}.
         */
        String state() {
            if (progress != null && progress.state().equals(ImportProgress.FAILED)) {
                return ImportProgress.FAILED;
            }
            if (counts != null && !counts.state().equals(ImportCounts.READING)) {
                return counts.state();
            }
            return progress == null ? ImportProgress.READING : progress.state();
        }

        long linesRead() {
            return progress == null ? 0 : progress.dataLines();
        }

        long accepted() {
            return counts == null ? 0 : counts.accepted();
        }

        long rejected() {
            return counts == null ? 0 : counts.rejected();
        }

        long landed() {
            return counts == null ? 0 : counts.landed();
        }

        long deadLettered() {
            return counts == null ? 0 : counts.deadLettered();
        }

        /** Whether nothing of the import is in flight any more. */
        boolean finished() {
            return state().equals(ImportCounts.LANDED) || state().equals(ImportProgress.FAILED);
        }

        /** Lines routed per second since the file was claimed; 0 when unknown. */
        double rate() {
            if (claimedAt == null || countedAt == null || !countedAt.isAfter(claimedAt)) {
                return 0;
            }
            return (accepted() + rejected()) * 1000.0 / Duration.between(claimedAt, countedAt).toMillis();
        }

        /** Seconds until every line read so far is routed at the current rate; -1 when unknown or done. */
        long etaSeconds() {
            long left = linesRead() - accepted() - rejected();
            double rate = rate();
            return left <= 0 || rate <= 0 || !state().equals(ImportProgress.READING) ? -1 : (long) Math.ceil(left / rate);
        }
    }

    private final StreamsAppConfig cfg;

    FileImports(Path configFile) {
        this.cfg = StreamsAppConfig.from(StreamsAppConfig.definition().resolve(configFile));
    }

    StreamsAppConfig config() {
        return cfg;
    }

    /** Every import, in the order the reader first recorded them. */
    Map<String, View> all() {
        List<ConsumerRecord<String, String>> progressLog = TopicSnapshot.read(cfg.kafkaBootstrap(), cfg.progressTopic(), TIMEOUT);
        Map<String, ConsumerRecord<String, String>> progress = TopicSnapshot.latest(progressLog);
        Map<String, Instant> claimed = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : progressLog) {
            if (r.value() != null && ImportProgress.fromJson(r.value()).state().equals(ImportProgress.CLAIMED)) {
                claimed.put(r.key(), Instant.ofEpochMilli(r.timestamp()));
            }
        }
        Map<String, ConsumerRecord<String, String>> status = TopicSnapshot.latest(
                TopicSnapshot.read(cfg.kafkaBootstrap(), cfg.statusTopic(), TIMEOUT));
        Map<String, View> out = new LinkedHashMap<>();
        for (String id : progress.keySet()) {
            out.put(id, view(id, progress.get(id), status.get(id), claimed.get(id)));
        }
        for (String id : status.keySet()) {
            out.computeIfAbsent(id, k -> view(k, null, status.get(k), null));
        }
        return out;
    }

    /** The import whose id is {@code id} or starts with it (at least 8 characters); a usage error if none or several. */
    View find(String id) {
        if (id.length() < 8) {
            throw new UsageException("an import id needs at least 8 of its characters, got '" + id + "'");
        }
        List<View> matches = all().values().stream().filter(v -> v.importId().startsWith(id)).toList();
        if (matches.isEmpty()) {
            throw new UsageException("no file import " + id + " (imports are listed by import:status without arguments)");
        }
        if (matches.size() > 1) {
            throw new UsageException("import id prefix " + id + " names " + matches.size() + " imports; give more of it");
        }
        return matches.get(0);
    }

    /** The import's rejected lines in file-line order. */
    List<RejectedLine> rejected(String importId) {
        List<RejectedLine> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TopicSnapshot.read(cfg.kafkaBootstrap(), cfg.rejectedTopic(), TIMEOUT)) {
            if (importId.equals(r.key()) && r.value() != null) {
                out.add(RejectedLine.fromJson(r.value()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(RejectedLine::line));
        return out;
    }

    private static View view(String id, ConsumerRecord<String, String> progress, ConsumerRecord<String, String> status,
                             Instant claimedAt) {
        return new View(id, progress == null ? null : ImportProgress.fromJson(progress.value()),
                status == null ? null : ImportCounts.fromJson(status.value()), claimedAt,
                status == null ? null : Instant.ofEpochMilli(status.timestamp()));
    }
}

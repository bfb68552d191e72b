package io.stardust.http.imports;

import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.ImportProgress;
import io.stardust.streams.wire.RejectedLine;
import io.stardust.streams.wire.TopicSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * File imports as {@code bin/stardust import:status} and {@code GET /v1/tenants/{t}/imports} show them, read from
 * the streams app's topics: the reader's progress topic (claimed, reading, read, failed, lines read) merged with the
 * topology's status topic (lines accepted, rejected, landed and dead-lettered). One reader for both, so they never disagree.
 */
public final class FileImports {
    /** A CSV import's path under the drop directory: {@code <tenantId>/<model>/...}. */
    private static final Pattern CSV_TENANT = Pattern.compile("^([1-9][0-9]{0,18})/[^/]+/.+");

    /** Where the topics are. */
    public record Topics(String bootstrap, String progressTopic, String statusTopic, String rejectedTopic) {
    }

    /** One import: what the reader committed, what the topology counted (either may be missing yet). */
    public record View(String importId, ImportProgress progress, ImportCounts counts, Instant claimedAt,
                       Instant countedAt) {
        public String file() {
            return progress != null ? progress.file() : counts.file();
        }

        /**
         * The tenant whose rows the import holds, when one tenant is known to own all of them: a CSV import's
         * directory ({@code <tenantId>/<model>/}, which the topology applies to every row), or the one tenant every
         * accepted NDJSON line named. Empty for an NDJSON file with lines of several tenants (it belongs to the
         * operator, not to a tenant) and before its first line is counted.
         */
        public Optional<Long> tenantId() {
            if (progress != null && "csv".equals(progress.format())) {
                Matcher m = CSV_TENANT.matcher(progress.file().replace('\\', '/'));
                return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
            }
            if (counts == null || counts.mixedTenants()) {
                return Optional.empty();
            }
            return Optional.ofNullable(counts.tenantId());
        }

        /**
         * {@code claimed}, {@code reading}, {@code read}, {@code routed} (every line accepted or rejected),
         * {@code landed} (every accepted line also written or dead-lettered by the gateway) or {@code failed}.
         */
        public String state() {
            if (progress != null && progress.state().equals(ImportProgress.FAILED)) {
                return ImportProgress.FAILED;
            }
            if (counts != null && !counts.state().equals(ImportCounts.READING)) {
                return counts.state();
            }
            return progress == null ? ImportProgress.READING : progress.state();
        }

        public long linesRead() {
            return progress == null ? 0 : progress.dataLines();
        }

        public long accepted() {
            return counts == null ? 0 : counts.accepted();
        }

        public long rejected() {
            return counts == null ? 0 : counts.rejected();
        }

        public long landed() {
            return counts == null ? 0 : counts.landed();
        }

        public long deadLettered() {
            return counts == null ? 0 : counts.deadLettered();
        }

        /** Lines routed per second since the file was claimed; 0 when unknown. */
        public double rate() {
            if (claimedAt == null || countedAt == null || !countedAt.isAfter(claimedAt)) {
                return 0;
            }
            return (accepted() + rejected()) * 1000.0 / Duration.between(claimedAt, countedAt).toMillis();
        }

        /** Seconds until every line read so far is routed at the current rate; -1 when unknown or done. */
        public long etaSeconds() {
            long left = linesRead() - accepted() - rejected();
            double rate = rate();
            return left <= 0 || rate <= 0 || !state().equals(ImportProgress.READING) ? -1 : (long) Math.ceil(left / rate);
        }
    }

    /** No import, or several, match an id prefix. */
    public static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    private final Topics topics;
    private final Duration timeout;

    /** @param timeout how long each broker call may take */
    public FileImports(Topics topics, Duration timeout) {
        this.topics = topics;
        this.timeout = timeout;
    }

    /** Every import, in the order the reader first recorded them. */
    public Map<String, View> all() {
        List<ConsumerRecord<String, String>> progressLog = TopicSnapshot.read(topics.bootstrap(), topics.progressTopic(),
                timeout);
        Map<String, ConsumerRecord<String, String>> progress = TopicSnapshot.latest(progressLog);
        Map<String, Instant> claimed = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : progressLog) {
            if (r.value() != null && ImportProgress.fromJson(r.value()).state().equals(ImportProgress.CLAIMED)) {
                claimed.put(r.key(), Instant.ofEpochMilli(r.timestamp()));
            }
        }
        Map<String, ConsumerRecord<String, String>> status = TopicSnapshot.latest(
                TopicSnapshot.read(topics.bootstrap(), topics.statusTopic(), timeout));
        Map<String, View> out = new LinkedHashMap<>();
        for (String id : progress.keySet()) {
            out.put(id, view(id, progress.get(id), status.get(id), claimed.get(id)));
        }
        for (String id : status.keySet()) {
            out.computeIfAbsent(id, k -> view(k, null, status.get(k), null));
        }
        return out;
    }

    /** The import whose id is {@code id} or starts with it (at least 8 characters) among {@code views}. */
    public static View find(Iterable<View> views, String id) {
        if (id.length() < 8) {
            throw new NotFound("an import id needs at least 8 of its characters, got '" + id + "'");
        }
        List<View> matches = new ArrayList<>();
        views.forEach(v -> {
            if (v.importId().startsWith(id)) {
                matches.add(v);
            }
        });
        if (matches.isEmpty()) {
            throw new NotFound("no file import " + id);
        }
        if (matches.size() > 1) {
            throw new NotFound("import id prefix " + id + " names " + matches.size() + " imports; give more of it");
        }
        return matches.get(0);
    }

    /** The import's rejected lines in file-line order. */
    public List<RejectedLine> rejected(String importId) {
        List<RejectedLine> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TopicSnapshot.read(topics.bootstrap(), topics.rejectedTopic(), timeout)) {
            if (importId.equals(r.key()) && r.value() != null) {
                out.add(RejectedLine.fromJson(r.value()));
            }
        }
        out.sort(Comparator.comparingLong(RejectedLine::line));
        return out;
    }

    private static View view(String id, ConsumerRecord<String, String> progress, ConsumerRecord<String, String> status,
                             Instant claimedAt) {
        return new View(id, progress == null ? null : ImportProgress.fromJson(progress.value()),
                status == null ? null : ImportCounts.fromJson(status.value()), claimedAt,
                status == null ? null : Instant.ofEpochMilli(status.timestamp()));
    }
}

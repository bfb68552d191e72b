package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's closed event vocabulary per source: every name a source logs is StarDust's. Adding a
 * name is a contract change and must be made here and in the README on purpose.
 */
class EventVocabularyTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "api", Set.of("entry_written", "entry_updated", "entry_deleted", "exhaustion_fallback", "cache_miss",
                    "pre_flight_rejected", "capability_unsupported", "search_request"),
            "registry", Set.of("page_provisioned", "slot_reserved", "cardinality_sampled", "low_cardinality_index",
                    "spread_sampled", "high_spread_model", "compaction_planned", "compaction_complete", "retype_started",
                    "promote_to_ready", "generic_log"),
            "bulk_api", Set.of("bulk_chunk_committed", "bulk_chunk_rolled_back", "payload_too_large", "bulk_accepted"),
            "export_api", Set.of("export_accepted"));

    private static final Pattern SOURCE = Pattern.compile("new EventLog\\(\\s*\"([a-z_]+)\"");
    private static final Pattern EMIT = Pattern.compile("\\b(?:events\\.(?:info|warning|error)|announce)\\(\\s*\"([a-z_]+)\"");

    @Test
    void everyEngineEventBelongsToItsSourcesVocabulary() throws Exception {
        Map<String, Set<String>> logged = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Matcher source = SOURCE.matcher(text);
                if (!source.find()) {
                    continue;
                }
                Matcher m = EMIT.matcher(text);
                while (m.find()) {
                    logged.computeIfAbsent(source.group(1), k -> new TreeSet<>()).add(m.group(1));
                }
            }
        }
        assertThat(logged.keySet()).containsExactlyInAnyOrder("api", "registry", "bulk_api", "export_api");
        logged.forEach((source, names) -> assertThat(names).as("source " + source).isSubsetOf(ALLOWED.get(source)));
        assertThat(logged.get("api")).contains("entry_written", "entry_updated", "entry_deleted", "search_request", "cache_miss");
        assertThat(logged.get("bulk_api")).containsExactlyInAnyOrderElementsOf(ALLOWED.get("bulk_api"));
        assertThat(logged.get("export_api")).containsExactlyInAnyOrderElementsOf(ALLOWED.get("export_api"));
    }
}

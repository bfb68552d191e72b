package io.stardust.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The closed event vocabulary (source watcher, plus the registry advisories its samplers log): every event name this module's sources log is in the
 * documented list, and every documented name is logged somewhere. Adding a name is a contract change.
 */
class EventVocabularyTest {
    @Test
    void theSourcesLogExactlyTheDocumentedEvents() throws Exception {
        Set<String> logged = SourceChecks.loggedEventNames();
        List<String> allowed = java.util.stream.Stream.concat(Watcher.EVENTS.stream(), java.util.stream.Stream.of("cardinality_sampled", "low_cardinality_index", "spread_sampled", "high_spread_model")).toList();

        assertThat(logged).isNotEmpty().isSubsetOf(allowed);
        assertThat(allowed).isSubsetOf(logged);
    }
}

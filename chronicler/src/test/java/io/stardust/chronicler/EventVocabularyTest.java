package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The closed event vocabulary (source chronicler): every event name this module's sources log is in the documented
 * list, and every documented name is logged somewhere. Adding a name is a contract change.
 */
class EventVocabularyTest {
    @Test
    void theSourcesLogExactlyTheDocumentedEvents() throws Exception {
        Set<String> logged = SourceChecks.loggedEventNames();
        List<String> allowed = Chronicler.EVENTS;

        assertThat(logged).isNotEmpty().isSubsetOf(allowed);
        assertThat(allowed).isSubsetOf(logged);
    }
}

package io.stardust.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import org.junit.jupiter.api.Test;

/** The module logs exactly its documented events (source {@code http}); adding a name is a contract change. */
class EventVocabularyTest {
    @Test
    void theSourcesLogExactlyTheDocumentedEvents() throws Exception {
        assertThat(SourceChecks.loggedEventNames()).containsExactlyInAnyOrderElementsOf(ApiHandler.EVENTS);
    }
}

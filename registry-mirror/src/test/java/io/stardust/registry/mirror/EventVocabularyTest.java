package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import org.junit.jupiter.api.Test;

/** The module logs exactly its documented events (source {@code registry_mirror}); adding a name is a contract change. */
class EventVocabularyTest {
    @Test
    void theMirrorLogsExactlyItsDocumentedEvents() throws Exception {
        assertThat(SourceChecks.loggedEventNames()).containsExactlyInAnyOrderElementsOf(MirrorEvents.NAMES);
    }
}

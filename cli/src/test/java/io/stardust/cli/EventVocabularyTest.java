package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import io.stardust.cli.stack.StackCommand;
import org.junit.jupiter.api.Test;

/** The CLI's own log events (source {@code stack}) are exactly the documented vocabulary. */
class EventVocabularyTest {
    @Test
    void theSourcesLogExactlyTheDocumentedEvents() throws Exception {
        assertThat(SourceChecks.loggedEventNames()).containsExactlyInAnyOrderElementsOf(StackCommand.EVENTS);
    }
}

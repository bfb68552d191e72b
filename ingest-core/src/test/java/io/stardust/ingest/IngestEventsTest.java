package io.stardust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The core logs exactly its documented events; adding a name is a contract change. */
class IngestEventsTest {
    @Test
    void theSourcesLogExactlyTheVocabulary() throws Exception {
        assertThat(SourceChecks.loggedEventNames()).containsExactlyInAnyOrderElementsOf(IngestEvents.EVENTS);
    }

    @Test
    void theReadmeNamesEveryEventOfTheVocabulary() throws Exception {
        String readme = SourceChecks.read(Path.of("README.md"));
        for (String event : IngestEvents.EVENTS) {
            assertThat(readme).as("README mentions " + event).contains("`" + event + "`");
        }
    }
}

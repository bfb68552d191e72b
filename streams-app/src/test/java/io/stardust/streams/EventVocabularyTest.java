package io.stardust.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.SourceChecks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The streams app logs exactly its documented events (source {@code streams}); adding a name is a contract change. */
class EventVocabularyTest {
    @Test
    void theSourcesLogExactlyTheDocumentedEvents() throws Exception {
        assertThat(SourceChecks.loggedEventNames()).containsExactlyInAnyOrderElementsOf(StreamsEvents.EVENTS);
    }

    @Test
    void theReadmeListsExactlyTheVocabulary() throws Exception {
        String readme = SourceChecks.read(Path.of("README.md"));
        int start = readme.indexOf("Events (source `streams`");
        assertThat(start).as("the README's list of events").isNotNegative();
        int from = readme.indexOf("):", start) + 2;
        String list = readme.substring(from, readme.indexOf(".\n", from));
        List<String> documented = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z_]+)`").matcher(list);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(StreamsEvents.EVENTS);
    }
}

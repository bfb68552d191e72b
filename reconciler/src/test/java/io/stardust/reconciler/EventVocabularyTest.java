package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The closed event vocabulary (spec §10.2; source reconciler): every event name this module's sources log is in the
 * documented list, and every documented name is logged somewhere. Adding a name is a contract change.
 */
class EventVocabularyTest {
    private static final Pattern EMIT = Pattern.compile("\\bevents\\.(?:info|warning|error)\\(\\s*\"([a-z_]+)\"");

    @Test
    void theSourcesLogExactlyTheDocumentedEvents() throws Exception {
        Set<String> logged = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = EMIT.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    logged.add(m.group(1));
                }
            }
        }
        List<String> allowed = Reconciler.EVENTS;

        assertThat(logged).isNotEmpty().isSubsetOf(allowed);
        assertThat(allowed).isSubsetOf(logged);
    }
}

package io.stardust;

import io.stardust.config.ConfigDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checks every module's tests make of its own sources and docs: logged event names, generated option tables. */
public final class SourceChecks {
    private static final Pattern EMIT = Pattern.compile("\\bevents\\.(?:info|warning|error)\\(\\s*\"([a-z_]+)\"");

    private SourceChecks() {
    }

    /** Every event name logged through an {@code EventLog} field named {@code events} under {@code src/main/java}. */
    public static Set<String> loggedEventNames() throws IOException {
        Set<String> logged = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = EMIT.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    logged.add(m.group(1));
                }
            }
        }
        return logged;
    }

    /** An option table as documented: the JVM's temp directory written as {@code <java.io.tmpdir>}. */
    public static String documentedTable(ConfigDef def) {
        return def.markdownTable().replace(Path.of(System.getProperty("java.io.tmpdir"), "stardust").toString(),
                "<java.io.tmpdir>/stardust");
    }

    public static String read(Path doc) throws IOException {
        return Files.readString(doc, StandardCharsets.UTF_8);
    }
}

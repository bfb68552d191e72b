package io.stardust.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How a Kafka server JVM (broker or Connect worker) is launched: this JVM's {@code java}, the heap and flags,
 * logging through the kit's {@code child-jvm-logback.xml} into {@code logFile} at {@code logLevel}, the classpath
 * with relative entries made absolute (the child runs in its own run directory), the main class and its arguments.
 */
record ChildJvm(String mainClass, String classpath, int maxHeapMb, List<String> jvmFlags, Path logFile, String logLevel) {
    private static final String LOGBACK_CONFIG = "io/stardust/kit/child-jvm-logback.xml";

    ChildJvm {
        jvmFlags = List.copyOf(jvmFlags);
    }

    /** Starts the JVM in {@code runDir}, stdout and stderr appended to {@code out}. */
    ServerProcess start(Path runDir, Path out, String what, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms64m");
        cmd.add("-Xmx" + maxHeapMb + "m");
        cmd.addAll(jvmFlags);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlogback.configurationFile=" + LOGBACK_CONFIG);
        cmd.add("-Dstardust.kit.logFile=" + logFile);
        cmd.add("-Dstardust.kit.logLevel=" + logLevel);
        cmd.add("-cp");
        cmd.add(ServerProcess.absoluteClasspath(classpath));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return ServerProcess.start(new ProcessBuilder(cmd).directory(runDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())), what);
    }

    /** Writes a {@code .properties} file for the server to read, creating its directory. */
    static void writeProperties(Path file, Map<String, String> entries, String writer) {
        Properties props = new Properties();
        props.putAll(entries);
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                props.store(out, "written by " + writer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

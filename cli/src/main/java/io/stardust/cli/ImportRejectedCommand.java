package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.json.Json;
import io.stardust.streams.wire.RejectedLine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stardust import:rejected ID}: a file import's rejected lines, {@code file:line: reason: message}. */
@Command(name = "import:rejected", mixinStandardHelpOptions = true,
        description = {"The rejected lines of a file import (bin/stardust streams), one per line in file order:",
                "file:line: reason: message. ID is the import id or a prefix of at least 8 characters.",
                "Settings: the --config file of bin/stardust streams."})
final class ImportRejectedCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "Import id (or a prefix of at least 8 characters).")
    String id;

    @Option(names = "--json", description = "Print a JSON array instead of text.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE", description = "The streams app's properties file (kafkaBootstrap, topics).")
    Path configFile;

    @Override
    public Integer call() {
        FileImports imports = new FileImports(configFile);
        String importId = imports.find(id).importId();
        List<RejectedLine> lines = imports.rejected(importId);
        if (json) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (RejectedLine r : lines) {
                ObjectNode o = out.addObject();
                o.put("file", r.file());
                o.put("line", r.line());
                o.put("reason", r.reason().code());
                o.put("message", r.message());
            }
            System.out.println(Json.write(out));
        } else {
            lines.forEach(System.out::println);
        }
        return 0;
    }
}

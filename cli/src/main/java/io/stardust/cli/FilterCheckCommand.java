package io.stardust.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.QueryFilterValidationException;
import io.stardust.StarDustConfig;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.filter.JsonFilterEncoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Decodes a wire-format filter without a database and prints the verdict as one JSON object on stdout:
 * {@code {"valid":true,"ast":…}} (the decoded tree in wire form, or null for a match-all envelope) with exit 0, or
 * {@code {"valid":false,"errorCode":…,"pointer":…,"details":{…}}} with exit 2. Limits are the engine's
 * ({@code STARDUST_QUERY_FILTER_*}, or a {@code --config} file). Field names are not checked here: that needs the
 * registry, and {@code search} does it.
 */
@Command(name = "filter:check", mixinStandardHelpOptions = true,
        description = "Validate a wire-format filter (no database) and print {\"valid\":...} as JSON. Exit 2 when invalid.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the filter is valid", "1:a failure", "2:the filter is invalid, or bad input"})
final class FilterCheckCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with filter limits (optional).")
    Path configFile;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Filter document, or - (default) for stdin.")
    String input = "-";

    @Override
    public Integer call() {
        var limits = StarDustConfig.filterLimitsFrom(StarDustConfig.definition().resolve(configFile));
        byte[] payload = FilterInput.read(input);
        try {
            FilterNode filter = new JsonFilterDecoder(limits).decode(payload);
            ObjectNode out = Json.object();
            out.put("valid", true);
            out.set("ast", filter == null ? null : JsonFilterEncoder.toWireJson(filter));
            System.out.println(Json.write(out));
            return 0;
        } catch (QueryFilterValidationException e) {
            System.out.println(e.toJson());
            return Failures.USAGE;
        }
    }
}

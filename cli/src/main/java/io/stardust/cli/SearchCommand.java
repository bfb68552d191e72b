package io.stardust.cli;

import io.stardust.EntryPage;
import io.stardust.EntryQuery;
import io.stardust.ModelSummary;
import io.stardust.QueryFilterValidationException;
import io.stardust.SortSpec;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.json.Json;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.http.EntryJson;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a wire-format filter against a model. One page: {@code {"rows":[{"id":…,"fields":{…}}],"nextCursor":…}}.
 * With {@code --all}: follows the cursors and prints one {@code {"id":…,"fields":{…}}} per line, streaming, so
 * memory stays bounded by one page. A rejected filter (decoder or pre-flight) prints the same JSON error object as
 * {@code filter:check} on stdout and exits 2; other user errors (unknown model, bad cursor or page size) exit 2
 * with a message on stderr ({@link Failures}).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search a model with a wire-format filter from FILE or stdin (-); print rows as JSON.")
final class SearchCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(names = "--select", paramLabel = "a,b", description = "Fields to return, in this order (default: every registered field).")
    String select;

    @Option(names = "--page-size", paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Rows per page, 1..1000 (default 100).")
    long pageSize = EntryQuery.DEFAULT_PAGE_SIZE;

    @Option(names = "--cursor", paramLabel = "C", description = "Continue after this cursor (nextCursor of a previous page).")
    String cursor;

    @Option(names = "--sort", paramLabel = "KEY[:desc]", description = "Order: $id (default), $created_at or an indexed"
            + " field, then :asc (default) or :desc; ties by id. A cursor continues only the sort it was issued for.")
    String sort;

    @Option(names = "--all", description = "Follow cursors to the end; print one row per line.")
    boolean all;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Filter document, or - (default) for stdin.")
    String input = "-";

    @Override
    public Integer call() {
        StarDustConfig config = connection.config();
        List<String> fields = select == null ? null
                : Arrays.stream(select.split(",", -1)).map(String::trim).filter(s -> !s.isEmpty()).toList();
        byte[] payload = FilterInput.read(input);
        PrintStream out = System.out;
        try {
            order(); // a malformed --sort is reported before any connection too
            // Decoding needs no database, so a malformed filter never opens a connection.
            FilterNode filter = new JsonFilterDecoder(config.filterLimits()).decode(payload);
            if (pageSize > EntryQuery.MAX_PAGE_SIZE) {
                throw new UsageException("--page-size must be between 1 and " + EntryQuery.MAX_PAGE_SIZE + ", got " + pageSize);
            }
            try (StarDust engine = StarDust.connect(config.withPoolSize(2))) {
                int modelId = engine.findModel(tenant, model).map(ModelSummary::modelId)
                        .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + model + "'"));
                EntryQuery query = new EntryQuery(tenant, modelId, filter, fields, (int) pageSize, cursor, order());
                if (!all) {
                    out.println(Json.write(EntryJson.page(engine.read(query))));
                    return 0;
                }
                while (true) {
                    EntryPage page = engine.read(query);
                    page.rows().forEach(r -> out.println(Json.write(EntryJson.row(r))));
                    out.flush();
                    if (page.nextCursor() == null) {
                        return 0;
                    }
                    query = query.withCursor(page.nextCursor());
                }
            }
        } catch (QueryFilterValidationException e) {
            out.println(e.toJson());
            return Failures.USAGE;
        }
    }

    private SortSpec order() {
        try {
            return sort == null ? SortSpec.byId() : SortSpec.parse(sort);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sort: " + e.getMessage());
        }
    }
}

package io.stardust.cli;

import io.stardust.ExportFormat;
import io.stardust.ExportJob;
import io.stardust.ExportRequest;
import io.stardust.ModelSummary;
import io.stardust.QueryFilterValidationException;
import io.stardust.StarDust;
import io.stardust.cli.progress.Progress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Queues an export and prints its job id; with {@code --wait}, follows the job (progress on stderr) and prints the
 * artifact path. A rejected filter prints the same JSON error object as {@code search} on stdout and exits 2.
 */
@Command(name = "export:submit", mixinStandardHelpOptions = true,
        description = {"Queue an export of a model: every live entry the filter matches, in id order, as a search with "
                + "that filter returns it. Prints the job id.",
                "A running Chronicler (bin/stardust chronicler) writes the artifact under artifactDir."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:queued (with --wait: completed)", "1:a fatal error, or with --wait the job failed",
                "2:bad input (unknown model or field, rejected filter, the tenant's active-export cap reached)"})
final class ExportSubmitCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(names = "--format", paramLabel = "csv|json|ndjson", description = "Artifact format (default csv).")
    String format = "csv";

    @Option(names = "--filter", paramLabel = "FILE|-", description = "Wire-format filter document (as for search), "
            + "from FILE or stdin (-); default: every entry.")
    String filter;

    @Option(names = "--select", paramLabel = "a,b", description = "Fields to export, in this order (default: every "
            + "live field, in name order).")
    String select;

    @Option(names = "--gzip", description = "Compress the artifact with gzip.")
    boolean gzip;

    @Option(names = "--wait", description = "Wait for the job to end, showing progress; print the artifact path.")
    boolean waitForIt;

    @Override
    public Integer call() throws InterruptedException {
        ExportFormat f;
        try {
            f = ExportFormat.of(format);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format " + e.getMessage().replace("export format ", ""));
        }
        List<String> fields = select == null ? null : selected(select);
        String document = filter == null ? null : new String(FilterInput.read(filter), StandardCharsets.UTF_8);
        try (StarDust engine = connection.open()) {
            int modelId = engine.findModel(tenant, model).map(ModelSummary::modelId)
                    .orElseThrow(() -> new UsageException("tenant " + tenant + " has no model named '" + model + "'"));
            long id;
            try {
                id = engine.submitExport(new ExportRequest(tenant, modelId, f, document, fields, gzip, ""));
            } catch (QueryFilterValidationException e) {
                System.out.println(e.toJson());
                return Failures.USAGE;
            }
            System.out.println(id);
            System.out.flush();
            return waitForIt ? follow(engine, id) : 0;
        }
    }

    private static List<String> selected(String text) {
        List<String> names = Arrays.stream(text.split(",", -1)).map(String::trim).toList();
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n.isEmpty()) {
                throw new UsageException("--select has an empty field name: '" + text + "'");
            }
            if (!seen.add(n)) {
                throw new UsageException("--select names '" + n + "' twice");
            }
        }
        return names;
    }

    private int follow(StarDust engine, long id) throws InterruptedException {
        try (Progress progress = Progress.onStderr("export:submit", "rows", 0)) {
            while (true) {
                ExportJob job = engine.getExportJob(tenant, id).orElseThrow();
                progress.set(job.rowsExported());
                if (job.completed()) {
                    progress.close();
                    System.out.println(job.artifactPath());
                    return 0;
                }
                if (job.terminal()) {
                    progress.close();
                    System.err.println("stardust export:submit: export " + id + " failed: " + job.failedReason());
                    return Failures.FATAL;
                }
                Thread.sleep(250); // a status poll; the Chronicler commits progress once per chunk
            }
        }
    }
}

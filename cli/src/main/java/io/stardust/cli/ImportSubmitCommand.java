package io.stardust.cli;

import io.stardust.cli.progress.Progress;
import io.stardust.http.imports.FileImports.View;
import io.stardust.streams.drop.DropLayout;
import io.stardust.streams.drop.FileCheck;
import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.ImportProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stardust import:submit FILE}: places a file into the streams app's drop directory atomically (copied as
 * {@code *.partial} next to its final place, then renamed, so the reader never claims half a file) and prints its
 * import id. With {@code --wait}, follows the import until every line is landed (written by the gateway), rejected
 * or dead-lettered by the gateway.
 */
@Command(name = "import:submit", mixinStandardHelpOptions = true,
        description = {"Place an NDJSON or CSV file (optionally .gz) into importDropDir for bin/stardust streams, atomically,",
                "and print its import id (the SHA-256 of its content; a CSV's also covers its tenant and model).",
                "A CSV needs --tenant and --model (it goes to <dropDir>/<tenant>/<model>/); NDJSON lines name their own.",
                "With --wait: a progress bar until every line is landed (written to MySQL by the gateway), rejected, or",
                "dead-lettered by the gateway, then the summary. Settings: the --config file of bin/stardust streams."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:placed (with --wait: and no line was rejected or dead-lettered)", "1:with --wait: lines were rejected or dead-lettered, or the file failed;"
                + " or Kafka/the file system failed", "2:bad input: no such file, not .ndjson/.jsonl/.csv, a CSV without --tenant/--model"})
final class ImportSubmitCommand implements Callable<Integer> {
    private static final Pattern TENANT = Pattern.compile("[1-9][0-9]{0,18}");

    @Parameters(index = "0", paramLabel = "FILE", description = "The file: *.ndjson, *.jsonl or *.csv, each optionally .gz.")
    Path file;

    @Option(names = "--tenant", paramLabel = "T", description = "CSV only: the tenant id its rows belong to.")
    String tenant;

    @Option(names = "--model", paramLabel = "M", description = "CSV only: the model its rows are entries of.")
    String model;

    @Option(names = "--wait", description = "Follow the import until every line is landed; exit 1 if any was rejected or dead-lettered.")
    boolean await;

    @Option(names = "--config", paramLabel = "FILE", description = "The streams app's properties file (importDropDir, kafkaBootstrap, topics).")
    Path configFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String name = file.getFileName().toString();
        DropLayout.Format format = DropLayout.formatOf(name).orElseThrow(() -> new UsageException(
                "'" + name + "' is not an import file: use .ndjson, .jsonl or .csv, optionally .gz"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        String dir = "";
        if (format == DropLayout.Format.CSV) {
            if (tenant == null || model == null || !TENANT.matcher(tenant).matches() || model.isBlank() || model.contains("/")) {
                throw new UsageException("a CSV needs --tenant (a positive integer) and --model (a model name without '/')");
            }
            dir = tenant + "/" + model.trim() + "/";
        } else if (tenant != null || model != null) {
            throw new UsageException("--tenant and --model are for CSV files; NDJSON lines name their own tenant and model");
        }
        FileImports imports = new FileImports(configFile);
        String importId = FileCheck.importId(file, DropLayout.gzipped(name), format == DropLayout.Format.CSV ? dir : null);
        Path target = place(imports.config().dropDir().resolve(dir), name, importId);
        System.out.println(importId);
        System.err.println("import:submit: placed " + target + " (import " + importId.substring(0, 12) + ")");
        return await ? follow(imports, importId) : 0;
    }

    /** Copies as {@code <name>.partial} in the target directory, then renames: the reader sees the whole file or none. */
    private Path place(Path dir, String name, String importId) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            target = dir.resolve(importId.substring(0, 12) + "-" + name); // never replace a file not yet claimed
        }
        Path partial = target.resolveSibling(target.getFileName() + DropLayout.PARTIAL_SUFFIX);
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private int follow(FileImports imports, String importId) throws InterruptedException {
        Progress progress = null;
        try {
            while (true) {
                View v = imports.all().get(importId);
                if (v != null && v.progress() != null && v.progress().state().equals(ImportProgress.FAILED)) {
                    System.err.println("import:submit: import " + importId + " failed: " + v.progress().reason());
                    return Failures.FATAL;
                }
                if (v != null && v.counts() != null && v.counts().lines() != null) {
                    if (progress == null) {
                        progress = Progress.onStderr("import:submit", "lines", v.counts().lines());
                    }
                    progress.set(v.landed() + v.deadLettered() + v.rejected());
                    if (v.counts().state().equals(ImportCounts.LANDED)) {
                        progress.close();
                        System.out.println("import " + importId + " (" + v.file() + "): " + v.counts().lines() + " lines, "
                                + v.landed() + " landed, " + v.rejected() + " rejected, " + v.deadLettered() + " dead-lettered"
                                + (v.rejected() > 0 ? " (bin/stardust import:rejected " + importId.substring(0, 12) + ")" : "")
                                + (v.deadLettered() > 0 ? " (bin/stardust import:status " + importId.substring(0, 12)
                                + "; bin/stardust ingest:dlq:list)" : ""));
                        return v.rejected() == 0 && v.deadLettered() == 0 ? 0 : Failures.FATAL;
                    }
                }
                Thread.sleep(500); // polls the compacted status topic; there is nothing to wait on instead
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }
}

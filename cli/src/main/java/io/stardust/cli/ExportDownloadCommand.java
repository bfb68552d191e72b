package io.stardust.cli;

import io.stardust.ExportArtifact;
import io.stardust.ExportJob;
import io.stardust.StarDust;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export:download", mixinStandardHelpOptions = true,
        description = {"Copy a completed export's artifact to a file (-o) or stdout, as stored (gzip stays gzip).",
                "A job that is not completed, another tenant's, or whose artifact was collected is refused (exit 2)."})
final class ExportDownloadCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Option(names = "--tenant", required = true, paramLabel = "T", converter = CanonicalNumberConverter.class,
            description = "Tenant id (a positive integer).")
    long tenant;

    @Option(names = "--id", required = true, paramLabel = "N", converter = CanonicalNumberConverter.class,
            description = "Export job id.")
    long id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here (default: stdout).")
    Path output;

    @Override
    public Integer call() throws IOException {
        try (StarDust engine = connection.open()) {
            ExportArtifact artifact = engine.exportArtifact(tenant, id).orElseThrow(() -> new UsageException(why(engine)));
            if (output == null) {
                try (InputStream in = artifact.open()) {
                    OutputStream out = System.out;
                    in.transferTo(out);
                    out.flush();
                }
            } else {
                // through a sibling temporary file, so FILE is either absent or complete
                Path dir = output.toAbsolutePath().getParent();
                Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".part");
                try (InputStream in = artifact.open()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return 0;
    }

    private String why(StarDust engine) {
        ExportJob job = engine.getExportJob(tenant, id).orElse(null);
        if (job == null) {
            return "tenant " + tenant + " has no export job " + id;
        }
        if (!job.completed()) {
            return "export " + id + " is " + job.status() + (job.failedReason() == null ? "" : " (" + job.failedReason() + ")")
                    + "; only a completed export can be downloaded";
        }
        return "export " + id + " has no artifact any more (collected after chroniclerArtifactTtlSeconds)";
    }
}

package io.stardust.gateway.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.gateway.cli.GatewayApp;
import io.stardust.ingest.dlq.DlqFilter;
import io.stardust.ingest.dlq.DlqRow;
import io.stardust.ingest.dlq.IngestDlqStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stardust ingest:dlq:list}: quarantined records, oldest first. Exit 0 (also when none match), 2 on a usage error, 1 on error. */
@Command(name = "ingest:dlq:list", mixinStandardHelpOptions = true,
        description = "List records the ingest gateway quarantined (stardust_ingest_dlq), oldest first.")
public final class IngestDlqListCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Mixin
    DlqFilterOptions filter = new DlqFilterOptions();
    @Option(names = "--limit", defaultValue = "100", description = "Most rows to print (default ${DEFAULT-VALUE}).")
    String limit;
    @Option(names = "--show-value", description = "Also print each record's key and value (UTF-8, cut at 200 characters;"
            + " with length and SHA-256 when the DLQ holds only part of it).")
    boolean showValue;
    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        GatewayApp.useNdjsonLogging();
        System.exit(new CommandLine(new IngestDlqListCommand()).execute(args));
    }

    @Override
    public Integer call() {
        DlqFilter selected;
        ConfigValues values;
        try {
            selected = filter.toFilter(null, limit);
            values = config.values();
        } catch (ConfigException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("stardust ingest:dlq:list: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        try (HikariDataSource ds = DbCommands.pool(values); Connection c = ds.getConnection()) {
            List<DlqRow> rows = IngestDlqStore.select(c, selected, new UtcClock(Clock.systemUTC()).now(), false);
            // An empty DLQ is a fine answer, not an error: the header alone says "nothing quarantined".
            out.printf("%-8s %-24s %-8s %-32s %-8s %-19s %s%n", "ID", "REASON", "TENANT", "SOURCE (topic/partition@offset)",
                    "ATTEMPTS", "RECEIVED (UTC)", "MESSAGE");
            for (DlqRow r : rows) {
                out.printf("%-8d %-24s %-8s %-32s %-8d %-19s %s%n", r.id(), r.reason(),
                        r.tenantId() == null ? "-" : r.tenantId().toString(), r.topic() + "/" + r.partition() + "@" + r.offset(),
                        r.attemptCount(), r.receivedAt().withNano(0).toString().replace('T', ' '), oneLine(r.errorMessage(), 120));
                if (showValue) {
                    out.println("         key:   " + part(r.recordKey(), r.originalKeyBytes(), r.originalKeySha256(), "none"));
                    out.println("         value: " + part(r.recordValue(), r.originalValueBytes(), r.originalValueSha256(),
                            "null: tombstone"));
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (Exception e) {
            spec.commandLine().getErr().println("stardust ingest:dlq:list: " + e);
            return ExitCodes.FATAL;
        }
    }

    /** A stored key or value as text (UTF-8, cut at 200 characters), and its size when the DLQ holds less than all of it. */
    private static String part(byte[] stored, Integer original, String sha256, String absent) {
        if (original == null) {
            return "(" + absent + ")";
        }
        String text = stored == null ? "" : oneLine(new String(stored, StandardCharsets.UTF_8), 200);
        if (stored != null && stored.length == original) {
            return text;
        }
        return "(" + original + " bytes, sha256 " + sha256 + "; the DLQ holds " + (stored == null ? "none" : "the first "
                + stored.length) + ") " + text;
    }

    static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max) + "...";
    }
}

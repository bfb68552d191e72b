package io.stardust.gateway.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigValues;
import io.stardust.engine.db.UtcClock;
import io.stardust.gateway.GatewayApp;
import io.stardust.gateway.dlq.DlqReplayer;
import io.stardust.gateway.dlq.DlqRow;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stardust ingest:dlq:list}: quarantined records, oldest first. Exit 0 with rows, 2 when none match, 1 on error. */
@Command(name = "ingest:dlq:list", mixinStandardHelpOptions = true,
        description = "List records the ingest gateway quarantined (stardust_ingest_dlq), oldest first.")
public final class IngestDlqListCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Mixin
    DlqFilterOptions filter = new DlqFilterOptions();
    @Option(names = "--limit", defaultValue = "100", description = "Most rows to print (default ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--show-value", description = "Also print each record's value (UTF-8, cut at 200 characters).")
    boolean showValue;
    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        GatewayApp.useNdjsonLogging();
        System.exit(new CommandLine(new IngestDlqListCommand()).execute(args));
    }

    @Override
    public Integer call() {
        ConfigValues values;
        try {
            values = config.values();
        } catch (ConfigException e) {
            return ConfigOptions.usageError(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (HikariDataSource ds = DbCommands.pool(values)) {
            List<DlqRow> rows = new DlqReplayer(ds, null, new UtcClock(Clock.systemUTC())).matching(filter.toFilter(null, limit));
            if (rows.isEmpty()) {
                spec.commandLine().getErr().println("no quarantined records match");
                return ExitCodes.USAGE;
            }
            out.printf("%-8s %-24s %-8s %-32s %-8s %-19s %s%n", "ID", "REASON", "TENANT", "SOURCE (topic/partition@offset)",
                    "ATTEMPTS", "RECEIVED (UTC)", "MESSAGE");
            for (DlqRow r : rows) {
                out.printf("%-8d %-24s %-8s %-32s %-8d %-19s %s%n", r.id(), r.reason(),
                        r.tenantId() == null ? "-" : r.tenantId().toString(), r.topic() + "/" + r.partition() + "@" + r.offset(),
                        r.attemptCount(), r.receivedAt().withNano(0).toString().replace('T', ' '), oneLine(r.errorMessage(), 120));
                if (showValue) {
                    out.println("         value: " + (r.recordValue() == null ? "(null: tombstone, key "
                            + (r.recordKey() == null ? "none" : new String(r.recordKey(), StandardCharsets.UTF_8)) + ")"
                            : oneLine(new String(r.recordValue(), StandardCharsets.UTF_8), 200)));
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (Exception e) {
            spec.commandLine().getErr().println("stardust ingest:dlq:list: " + e);
            return ExitCodes.FATAL;
        }
    }

    static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max) + "...";
    }
}

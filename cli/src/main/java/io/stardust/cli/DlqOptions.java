package io.stardust.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.stardust.StarDustConfig;
import io.stardust.config.Durations;
import io.stardust.engine.db.Pools;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which DLQ rows a command means, the same for {@code reconciler:dlq:*} and {@code ingest:dlq:*}: {@code --id}
 * selects rows and wins over the other filters (as upstream's {@code reconciler:dlq:replay}); otherwise
 * {@code --reason}, {@code --tenant} and {@code --older-than} combine. Ids go through {@link CanonicalNumberConverter}
 * like every other id of {@code bin/stardust}.
 */
final class DlqOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (dsn, user, pass and the DLQ's settings); STARDUST_* environment variables win over it.")
    Path configFile;

    @Option(names = "--id", split = ",", paramLabel = "ID", converter = CanonicalNumberConverter.class,
            description = "Only these DLQ rows (repeat or comma-separate); wins over --reason, --tenant and --older-than.")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "CODE", description = "Only rows with this reason code.")
    String reason;

    @Option(names = "--tenant", paramLabel = "ID", converter = CanonicalNumberConverter.class,
            description = "Only rows of this tenant.")
    Long tenant;

    @Option(names = "--older-than", paramLabel = "AGE",
            description = "Only rows quarantined longer ago than this: 30s, 15m, 2h, 7d or ISO-8601 (PT2H).")
    String olderThan;

    /** Whether any filter was given (a change to the DLQ needs one, or {@code --all}). */
    boolean narrowed() {
        return !ids.isEmpty() || reason != null || tenant != null || olderThan != null;
    }

    /** True when {@code --id} was given; says on {@code err} that the other filters are ignored, if there are any. */
    boolean idsWin(PrintWriter err, String command) {
        if (ids.isEmpty()) {
            return false;
        }
        if (reason != null || tenant != null || olderThan != null) {
            err.println("stardust " + command + ": --id takes precedence; --reason, --tenant and --older-than are ignored");
        }
        return true;
    }

    /** {@code --older-than} as a duration, or null. */
    Duration age() {
        if (olderThan == null) {
            return null;
        }
        Duration age;
        try {
            age = Durations.parse(olderThan);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--older-than: " + e.getMessage());
        }
        if (age.isNegative()) {
            throw new UsageException("--older-than must not be negative");
        }
        return age;
    }

    /** A count option of at most {@code Integer.MAX_VALUE}; 0 (where allowed) means all rows. */
    static int rows(long n) {
        return n == 0 || n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    static HikariDataSource open(StarDustConfig c) {
        return Pools.open(c.dsn(), c.user(), c.password(), 2, "stardust-dlq");
    }
}

package io.stardust.bench.versus;

import io.stardust.bench.GatewayLatencyProbe;
import io.stardust.bench.Latencies;
import java.util.List;
import java.util.Locale;

/** The one markdown result of a {@link VersusBench} run: setup facts, the drain table, the latency line. */
final class VersusReport {
    private VersusReport() {
    }

    /**
     * @param facts    one bullet each: date, machine, load, server settings
     * @param outcomes in run order; a peer row is the reference for the other rows with its partition count
     */
    static String render(List<String> facts, List<Outcome> outcomes, GatewayLatencyProbe.Result latency) {
        StringBuilder md = new StringBuilder();
        md.append("### Backlog drain into durable MySQL: StarDust ingest gateway vs Debezium JDBC sink\n\n");
        facts.forEach(f -> md.append("- ").append(f).append('\n'));
        md.append('\n');
        md.append("| contender | partitions / consumers | records | seconds | records/s | vs peer | CPU cores busy: mysqld / writer / broker"
                + " | per record: InnoDB row writes, redo bytes | commits | row lock waits (total wait) | load average at start |\n");
        md.append("|---|---|---:|---:|---:|---:|---|---|---:|---|---|\n");
        for (Outcome o : outcomes) {
            DrainMeter.Window w = o.window();
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %s | %s | %.2f / %.2f (%s) / %.2f | %.1f, %,.0f B | %,d | %,d (%.1f s) | %s |%n",
                    o.contender(), o.parallelism(), o.records(), w.seconds(), rate(w.rowsPerSecond()), ratio(o, outcomes),
                    w.coresBusy(VersusBench.MYSQLD), w.coresBusy(o.writer()), o.writer(), w.coresBusy(VersusBench.BROKER),
                    w.perRow(DrainMeter.ROW_WRITES), w.perRow(DrainMeter.REDO_BYTES), w.delta(DrainMeter.COMMITS),
                    w.delta(DrainMeter.LOCK_WAITS), w.delta(DrainMeter.LOCK_WAIT_MS) / 1e3, o.loadAtStart()));
        }
        if (latency == null) {
            return md.toString();
        }
        Latencies l = latency.latencies();
        md.append(String.format(Locale.ROOT, "%nGateway produce → durable latency at a steady %,d records/s (%,d records, 1 partition): "
                        + "**p50 %.0f ms, p99 %.0f ms**, max %.0f ms (%,d batches, %.1f records/batch, %.1f ms/batch in the writer).%n",
                latency.rate(), latency.records(), l.p50Millis(), l.p99Millis(), l.maxMillis(), latency.batches(),
                latency.recordsPerBatch(), latency.writerMsPerBatch()));
        return md.toString();
    }

    /** Rows per second, or "n/a" when the drain was too short to time. */
    static String rate(double rowsPerSecond) {
        return Double.isNaN(rowsPerSecond) ? "n/a" : String.format(Locale.ROOT, "%,.0f", rowsPerSecond);
    }

    /** Records/s relative to the peer with the same partition count (the raw insert, one connection, to the 1-task peer). */
    private static String ratio(Outcome o, List<Outcome> all) {
        return all.stream().filter(p -> p.contender().equals(PeerContender.CONTENDER) && p.partitions() == o.partitions())
                .findFirst()
                .map(p -> o.window().rowsPerSecond() / p.window().rowsPerSecond())
                .filter(r -> !Double.isNaN(r))
                .map(r -> String.format(Locale.ROOT, "%.2f×", r))
                .orElse("n/a");
    }
}

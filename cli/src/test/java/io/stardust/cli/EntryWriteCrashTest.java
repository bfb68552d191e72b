package io.stardust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL {@code entry:write} mid-load: only whole chunks, each entry with its slot row, may remain. */
@ExtendWith(MySqlExtension.class)
class EntryWriteCrashTest {
    @TempDir
    Path tmp;

    @Test
    void killedLoadLeavesOnlyWholeChunks(TestDatabase db) throws Exception {
        db.reset();
        CliRunner cli = new CliRunner(db);
        assertThat(cli.run("bootstrap").exitCode()).isZero();
        assertThat(cli.run("model:define", "--tenant=1", "--name=log", "--field=msg:string:filterable",
                "--field=n:int:filterable", "--provision").exitCode()).isZero();
        Path input = tmp.resolve("big.ndjson");
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 300_000; i++) {
                w.write("{\"msg\":\"line " + i + "\",\"n\":" + i + "}\n");
            }
        }
        Process load = cli.start(null, "entry:write", "--tenant=1", "--model=log", input.toString());
        await().atMost(Duration.ofMinutes(2)).until(() -> count(db, "SELECT COUNT(*) FROM entry_data") >= 2_000);
        load.destroyForcibly().waitFor();

        long entries = count(db, "SELECT COUNT(*) FROM entry_data");
        assertThat(entries).as("the load was still running when killed").isLessThan(300_000);
        assertThat(entries % EntryWriteCommand.CHUNK).as("whole chunks only: " + entries).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM entry_data e JOIN entry_slots_page_1 p ON p.entry_id = e.id"
                + " AND p.i_int_01 = JSON_EXTRACT(e.fields, '$.n')")).isEqualTo(entries);
        assertThat(count(db, "SELECT MAX(JSON_EXTRACT(fields, '$.n')) + 1 FROM entry_data")).as("a prefix of the file")
                .isEqualTo(entries);
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

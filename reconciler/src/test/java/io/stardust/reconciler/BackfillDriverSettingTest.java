package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.EngineFixture;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.config.ConfigException;
import io.stardust.daemon.TickOutcome;
import io.stardust.engine.db.Sleeper;
import io.stardust.engine.lifecycle.BackfillDriver;
import io.stardust.engine.lifecycle.BackfillSettings;
import io.stardust.engine.lifecycle.CheckpointLease;
import io.stardust.engine.lifecycle.RetypeBackfill;
import io.stardust.engine.lifecycle.RetypeChunk;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** backfillDriver: the Reconciler leaves every lifecycle checkpoint alone when the Streams app drives backfills. */
@ExtendWith(MySqlExtension.class)
class BackfillDriverSettingTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;

    @TempDir
    Path dir;

    BackfillDriverSettingTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "m", new FieldSpec("code", DeclaredType.STRING, true),
                new FieldSpec("note", DeclaredType.STRING, false), new FieldSpec("tag", DeclaredType.STRING, false));
        fx.engine.provisionPage(List.of("i_int_01"));
        for (int i = 0; i < 3; i++) {
            fx.write(1, m, Map.of("code", Integer.toString(i), "note", "n", "tag", "t"));
        }
        fx.engine.retypeField(1, m.fieldId("code"), DeclaredType.INT);
        fx.engine.renameField(1, m.fieldId("note"), "remark");
        fx.engine.deleteField(1, m.fieldId("tag"));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Reconciler reconciler(BackfillSettings settings) {
        return ReconcilerDaemon.create(fx.ds, ReconcilerConfig.defaults(), settings, dir, Clock.systemUTC(),
                Sleeper.system(), null);
    }

    @Test
    void withTheStreamsAppAsDriverTheReconcilerRunsNoBackfillChunkAndIsIdle() throws Exception {
        Reconciler r = reconciler(BackfillSettings.DEFAULTS.withDriver(BackfillDriver.STREAMS));

        assertThat(r.tick()).isEqualTo(TickOutcome.IDLE);

        assertThat(fx.rows("SELECT status, last_processed_id, claimed_by FROM backfill_checkpoints ORDER BY id"))
                .as("untouched and unclaimed").containsExactly(Arrays.asList("running", 0L, null),
                        Arrays.asList("running", 0L, null), Arrays.asList("running", 0L, null));
    }

    @Test
    void withTheReconcilerAsDriverItRunsEveryBackfillToCompletion() throws Exception {
        Reconciler r = reconciler(BackfillSettings.DEFAULTS);

        while (r.tick() == TickOutcome.WORK_DONE) {
            // one chunk per source per tick until idle
        }

        assertThat(fx.rows("SELECT job_name, status FROM backfill_checkpoints ORDER BY id")).containsExactly(
                List.of("retype_field_" + m.fieldId("code"), "completed"),
                List.of("rename_field_" + m.fieldId("note"), "completed"));
    }

    @Test
    void theReconcilerDoesNotTakeACheckpointWhileAnotherDriverHoldsItsLease() throws Exception {
        UtcClock utc = new UtcClock(Clock.systemUTC());
        RetypeBackfill streams = new RetypeBackfill(fx.ds, utc, new SlotReserver(fx.ds, utc),
                new CheckpointLease("streams-instance", Duration.ofMinutes(5)));
        assertThat(streams.runChunk(1)).isInstanceOf(RetypeChunk.Done.class);
        Reconciler r = reconciler(BackfillSettings.DEFAULTS);

        while (r.tick() == TickOutcome.WORK_DONE) {
            // the rename and the purge proceed
        }

        assertThat(fx.rows("SELECT status, rows_processed, claimed_by FROM backfill_checkpoints WHERE job_name = ?",
                "retype_field_" + m.fieldId("code"))).containsExactly(List.of("running", 1L, "streams-instance"));
    }

    @Test
    void anUnknownDriverIsAConfigurationErrorNamingTheOptionAndTheChoices() throws Exception {
        Path config = Files.writeString(dir.resolve("c.properties"), "backfillDriver=kafka\n");

        assertThatThrownBy(() -> ReconcilerConfig.deployableDefinition().resolve(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backfillDriver").hasMessageContaining("must be reconciler or streams");
    }
}

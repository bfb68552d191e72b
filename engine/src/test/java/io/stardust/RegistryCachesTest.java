package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.filter.Filters;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read path's registry caches in their two modes: a second engine (another process) reads a model that the
 * first engine changes, with the version probes it issues counted.
 */
@ExtendWith(MySqlExtension.class)
class RegistryCachesTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private VersionProbeCounter probes;
    private StarDust reader;
    private ModelDefinition company;

    RegistryCachesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        company = fx.modelWithSlots(1, "company", new FieldSpec("employees", DeclaredType.INT, true),
                new FieldSpec("note", DeclaredType.STRING, false));
        fx.engine.provisionPage(List.of("i_str_01", "i_str_02")); // room for the promotion's slot
        fx.write(1, company, Map.of("employees", 340, "note", "big"));
        probes = new VersionProbeCounter(fx.ds);
        reader = StarDust.create(probes.dataSource(), fx.engine.config(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private EntryPage noteIs(String value) {
        return reader.read(EntryQuery.all(1, company.modelId()).withFilter(Filters.leaf("note", "eq", value)));
    }

    @Test
    void whileFollowingChangesReadsNeverProbeTheVersionAndServeTheCachedRoutesUntilAnInvalidationDropsThem() {
        reader.registryCaches().followChanges();
        assertThatThrownBy(() -> noteIs("big")).isInstanceOf(FieldNotFilterableException.class);
        long before = probes.probes();

        fx.engine.promoteFieldToFilterable(1, company.fieldId("note")); // another process's change
        assertThatThrownBy(() -> noteIs("big")).as("not told yet: the cached routes")
                .isInstanceOf(FieldNotFilterableException.class).isNotInstanceOf(FieldNotIndexedException.class);
        reader.registryCaches().modelChanged(company.modelId());
        assertThatThrownBy(() -> noteIs("big")).as("the field row changed: filterable, slot backfilling")
                .isInstanceOf(FieldNotIndexedException.class);

        fx.runBackfills(); // only the slot row changes now
        assertThatThrownBy(() -> noteIs("big")).isInstanceOf(FieldNotIndexedException.class);
        reader.registryCaches().fieldChanged(company.fieldId("note"));
        assertThat(noteIs("big").rows()).hasSize(1);

        assertThat(probes.probes()).as("version probes while following").isEqualTo(before).isZero();
    }

    @Test
    void probingTheVersionAgainSeesChangesNobodyReported() {
        reader.registryCaches().followChanges();
        assertThatThrownBy(() -> noteIs("big")).isInstanceOf(FieldNotFilterableException.class);
        fx.engine.promoteFieldToFilterable(1, company.fieldId("note"));
        fx.runBackfills();

        reader.registryCaches().probeVersion();
        assertThat(reader.registryCaches().followingChanges()).isFalse();
        assertThat(noteIs("big").rows()).hasSize(1);
        assertThat(probes.probes()).isPositive();
    }

    @Test
    void anInvalidationOfAllDropsEverySnapshot() {
        reader.registryCaches().followChanges();
        assertThatThrownBy(() -> noteIs("big")).isInstanceOf(FieldNotFilterableException.class);
        fx.engine.promoteFieldToFilterable(1, company.fieldId("note"));
        fx.runBackfills();
        reader.registryCaches().everythingChanged();
        assertThat(noteIs("big").rows()).hasSize(1);
        assertThat(probes.probes()).isZero();
    }
}

package io.stardust.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DlqReplayNotFoundException;
import io.stardust.EngineFixture;
import io.stardust.engine.db.UtcClock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code reconciler:dlq:replay --discard}: the selected rows go, nothing is re-enqueued, other rows stay. */
@ExtendWith(MySqlExtension.class)
class DlqDiscarderTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-05-20T12:00:00Z"), ZoneOffset.UTC);

    private final TestDatabase db;
    private EngineFixture fx;
    private DlqDiscarder discarder;

    DlqDiscarderTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        discarder = new DlqDiscarder(fx.ds, new UtcClock(NOW));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private String snapshot() {
        return fx.rows("SELECT * FROM stardust_reconciler_dlq ORDER BY id").toString()
                + fx.rows("SELECT * FROM stardust_sync_queue ORDER BY id");
    }

    @Test
    void discardDeletesOnlyTheSelectedOldRowsAndEnqueuesNothing() {
        long old = DlqSeeds.row(fx, "sync_queue", 11L, 7, "other", "2026-05-18 10:00:00", 0);
        long bulk = DlqSeeds.row(fx, "bulk_import", null, 7, "other", "2026-05-18 11:00:00", 2);
        long recent = DlqSeeds.row(fx, "sync_queue", 12L, 7, "other", "2026-05-20 11:00:00", 0);
        long otherTenant = DlqSeeds.row(fx, "sync_queue", 13L, 8, "other", "2026-05-18 10:00:00", 0);

        List<DlqEntry> gone = discarder.discard(DlqFilter.all().withTenant(7L).withOlderThan(Duration.ofDays(1)), false);

        assertThat(gone).extracting(DlqEntry::id).containsExactly(old, bulk);
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq ORDER BY id")).containsExactly(List.of(recent), List.of(otherTenant));
        assertThat(fx.count("SELECT COUNT(*) FROM stardust_sync_queue")).as("a discard re-enqueues nothing").isZero();
    }

    @Test
    void aDryRunReportsTheRowsAndChangesNothingAndNoMatchIsNotFound() {
        long a = DlqSeeds.row(fx, "sync_queue", 21L, 1, "malformed_json", "2026-05-20 10:00:00", 0);
        DlqSeeds.row(fx, "sync_queue", 22L, 1, "other", "2026-05-20 10:00:00", 0);
        String before = snapshot();

        assertThat(discarder.discard(DlqFilter.byReason("malformed_json"), true)).extracting(DlqEntry::id).containsExactly(a);
        assertThat(snapshot()).isEqualTo(before);
        assertThatThrownBy(() -> discarder.discard(DlqFilter.byId(999), false))
                .isInstanceOf(DlqReplayNotFoundException.class).hasMessageContaining("--id=999");
        assertThatThrownBy(() -> discarder.discard(DlqFilter.byReason("schema_incompatibility"), true))
                .isInstanceOf(DlqReplayNotFoundException.class);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aLimitDiscardsTheOldestRowsFirst() {
        long a = DlqSeeds.row(fx, "sync_queue", 31L, 1, "other", "2026-05-20 10:00:00", 0);
        long b = DlqSeeds.row(fx, "sync_queue", 32L, 1, "other", "2026-05-20 10:00:00", 0);
        long c = DlqSeeds.row(fx, "sync_queue", 33L, 1, "other", "2026-05-20 10:00:00", 0);

        assertThat(discarder.discard(DlqFilter.all().withLimit(2), false)).extracting(DlqEntry::id).containsExactly(a, b);
        assertThat(fx.rows("SELECT id FROM stardust_reconciler_dlq")).containsExactly(List.of(c));
    }
}

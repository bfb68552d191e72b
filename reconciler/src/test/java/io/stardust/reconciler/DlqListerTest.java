package io.stardust.reconciler;

import io.stardust.EngineFixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.db.UtcClock;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class DlqListerTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private DlqLister lister;

    DlqListerTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        lister = new DlqLister(fx.ds, new UtcClock(Clock.fixed(Instant.parse("2026-05-20T12:00:00Z"), ZoneOffset.UTC)));
        DlqSeeds.row(fx, "sync_queue", 1L, 7, "other", "2026-05-10 08:00:00", 0);
        DlqSeeds.row(fx, "bulk_import", null, 7, "malformed_json", "2026-05-19 08:00:00", 0);
        DlqSeeds.row(fx, "sync_queue", 3L, 8, "other", "2026-05-20 11:30:00", 2);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void listsOldestFirstWithEveryColumn() {
        DlqLister.Listing all = lister.list(DlqFilter.all());

        assertThat(all.total()).isEqualTo(3);
        assertThat(all.rows()).extracting(DlqEntry::entryId).containsExactly(1L, null, 3L);
        DlqEntry last = all.rows().get(2);
        assertThat(last.source()).isEqualTo("sync_queue");
        assertThat(last.tenantId()).isEqualTo(8);
        assertThat(last.reason()).isEqualTo("other");
        assertThat(last.retryCount()).isEqualTo(2);
        assertThat(last.failedAt()).isEqualTo(LocalDateTime.of(2026, 5, 20, 11, 30));
        assertThat(last.errorMessage()).isEqualTo("seeded");
    }

    @Test
    void filtersByTenantReasonAndAgeAndLimitsWithATotal() {
        assertThat(lister.list(DlqFilter.all().withTenant(7L)).rows()).extracting(DlqEntry::tenantId).containsOnly(7L);
        assertThat(lister.list(DlqFilter.byReason("malformed_json")).rows()).extracting(DlqEntry::source)
                .containsExactly("bulk_import");
        assertThat(lister.list(DlqFilter.all().withOlderThan(Duration.ofDays(2))).rows()).extracting(DlqEntry::entryId)
                .containsExactly(1L);
        assertThat(lister.list(DlqFilter.all().withOlderThan(Duration.ofHours(1))).total()).isEqualTo(2);
        DlqLister.Listing page = lister.list(DlqFilter.all().withLimit(2));
        assertThat(page.rows()).hasSize(2);
        assertThat(page.total()).isEqualTo(3);
    }
}

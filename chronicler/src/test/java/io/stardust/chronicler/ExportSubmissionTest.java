package io.stardust.chronicler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.DeclaredType;
import io.stardust.ExportFormat;
import io.stardust.ExportJob;
import io.stardust.ExportJobActiveCapExceededException;
import io.stardust.ExportRequest;
import io.stardust.FieldSpec;
import io.stardust.InvalidTenantIdException;
import io.stardust.ModelDefinition;
import io.stardust.ModelNotFoundException;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.engine.export.ExportOptions;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code submitExport} and {@code getExportJob} against real MySQL. */
@ExtendWith(MySqlExtension.class)
class ExportSubmissionTest {
    private final TestDatabase db;
    private ChroniclerFixture fx;
    private ModelDefinition model;

    ExportSubmissionTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        fx = new ChroniclerFixture(db);
        model = fx.base.model(1, "company", new FieldSpec("name", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ExportRequest request() {
        return ExportRequest.of(1, model.modelId(), ExportFormat.CSV);
    }

    @Test
    void aSubmissionIsAPendingJobWithItsEnvelopeAndOnlyTheOwnTenantCanReadIt() {
        long id = fx.engine.submitExport(request().withSelect(List.of("name")).withGzip(true));
        ExportJob job = fx.job(1, id);
        assertThat(job.status()).isEqualTo("pending");
        assertThat(job.modelId()).isEqualTo(model.modelId());
        assertThat(job.select()).containsExactly("name");
        assertThat(job.gzip()).isTrue();
        assertThat(job.filter()).isNull();
        assertThat(job.createdAt()).isNotNull();
        assertThat(job.workerIdentity()).isNull();
        assertThat(fx.base.rows("SELECT JSON_EXTRACT(filter, '$.filter') FROM stardust_export_jobs WHERE id = ?", id)
                .get(0).get(0).toString()).as("no filter is upstream's []").isEqualTo("[]");

        assertThat(fx.engine.getExportJob(2, id)).isEmpty();
        assertThat(fx.engine.getExportJob(1, id + 1)).isEmpty();
        assertThat(fx.engine.exportArtifact(1, id)).as("not completed").isEmpty();
        assertThatThrownBy(() -> fx.engine.getExportJob(0, id)).isInstanceOf(InvalidTenantIdException.class);
    }

    @Test
    void processingJobsCountTowardsTheCapAndEndedOnesDoNot() {
        long a = fx.engine.submitExport(request());
        long b = fx.engine.submitExport(request());
        long c = fx.engine.submitExport(request());
        fx.exec("UPDATE stardust_export_jobs SET status = 'processing' WHERE id = " + a);
        assertThatThrownBy(() -> fx.engine.submitExport(request()))
                .isInstanceOf(ExportJobActiveCapExceededException.class);
        fx.exec("UPDATE stardust_export_jobs SET status = 'completed' WHERE id = " + b,
                "UPDATE stardust_export_jobs SET status = 'failed' WHERE id = " + c);
        assertThat(fx.engine.submitExport(request())).isPositive();
    }

    @Test
    void theActiveCapIsTheConfiguredChroniclerPerTenantActiveCap() {
        java.util.Properties file = new java.util.Properties();
        file.setProperty("chroniclerPerTenantActiveCap", "1");
        StarDustConfig config = StarDustConfig.from(ConfigDef.of(StarDustConfig.OPTIONS, ExportOptions.OPTIONS)
                .resolve(file, java.util.Map.of("STARDUST_DSN", "jdbc:mysql://unused", "STARDUST_USER", "unused")));
        assertThat(config.exportActiveCap()).isEqualTo(1);
        StarDust capped = StarDust.create(fx.base.ds, fx.engine.config().withExportActiveCap(config.exportActiveCap()),
                java.time.Clock.systemUTC());
        capped.submitExport(request());
        assertThatThrownBy(() -> capped.submitExport(request()))
                .isInstanceOfSatisfying(ExportJobActiveCapExceededException.class, e -> assertThat(e.cap()).isEqualTo(1));

        file.setProperty("chroniclerPerTenantActiveCap", "0");
        assertThatThrownBy(() -> ConfigDef.of(ExportOptions.OPTIONS).resolve(file, java.util.Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("chroniclerPerTenantActiveCap");
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> fx.engine.submitExport(ExportRequest.of(0, model.modelId(), ExportFormat.CSV)))
                .isInstanceOf(InvalidTenantIdException.class);
        assertThatThrownBy(() -> fx.engine.submitExport(ExportRequest.of(2, model.modelId(), ExportFormat.CSV)))
                .isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> ExportFormat.of("xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("csv, json or ndjson");
        assertThatThrownBy(() -> fx.engine.submitExport(request().withSelect(List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fx.base.count("SELECT COUNT(*) FROM stardust_export_jobs")).isZero();
    }

    @Test
    void aSubmissionWaitsForASiblingsUncommittedJobsAndCountsThemOnceCommitted() throws Exception {
        try (Connection sibling = fx.base.ds.getConnection(); Statement s = sibling.createStatement()) {
            sibling.setAutoCommit(false);
            for (int i = 0; i < 3; i++) {
                s.executeUpdate("INSERT INTO stardust_export_jobs (tenant_id, status, filter, format, created_at)"
                        + " VALUES (1, 'pending', '{\"model_id\": " + model.modelId() + ", \"filter\": []}', 'csv',"
                        + " UTC_TIMESTAMP())");
            }
            CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> fx.engine.submitExport(request()));
            org.awaitility.Awaitility.await().until(() -> fx.base.count("SELECT COUNT(*) FROM"
                    + " information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'") > 0);
            sibling.commit();
            assertThatThrownBy(() -> blocked.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ExportJobActiveCapExceededException.class);
        }
        assertThat(fx.base.count("SELECT COUNT(*) FROM stardust_export_jobs")).isEqualTo(3);
    }
}

package io.stardust.chronicler;

import io.stardust.EngineFixture;
import io.stardust.ExportJob;
import io.stardust.StarDust;
import io.stardust.kit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** A fresh database, an engine with its own artifact directory, and Chroniclers that never sleep. */
final class ChroniclerFixture implements AutoCloseable {
    final EngineFixture base;
    final StarDust engine;
    final Path artifactDir;

    ChroniclerFixture(TestDatabase db) {
        try {
            this.artifactDir = Files.createTempDirectory("chronicler-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.base = EngineFixture.fresh(db, artifactDir);
        this.engine = base.engine;
    }

    static ChroniclerConfig config() {
        return ChroniclerConfig.defaults().withBackoffSeconds(java.util.List.of(0, 0, 0)).withLowDiskThresholdPct(0);
    }

    Chronicler.Builder chronicler(ChroniclerConfig config) {
        return Chronicler.builder(engine, config).sleeper(d -> { });
    }

    Chronicler chronicler() {
        return chronicler(config()).build();
    }

    ExportJob job(long tenant, long id) {
        return engine.getExportJob(tenant, id).orElseThrow();
    }

    /** The completed job's artifact, decompressed when gzip. */
    String artifact(long tenant, long id) {
        ExportJob job = job(tenant, id);
        try (InputStream raw = Files.newInputStream(Path.of(job.artifactPath()));
             InputStream in = job.gzip() ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void exec(String... sql) {
        base.exec(sql);
    }

    /** Closes the engine and deletes the artifact directory (a memory check leaves gigabytes there). */
    @Override
    public void close() {
        base.close();
        try (var files = Files.walk(artifactDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

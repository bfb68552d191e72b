package io.stardust.cli;

import io.stardust.DeclaredType;
import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.EntryPayload;
import io.stardust.EntryQuery;
import io.stardust.FieldSpec;
import io.stardust.ModelDefinition;
import io.stardust.StarDust;
import io.stardust.StarDustConfig;
import io.stardust.engine.json.Json;
import io.stardust.kit.EmbeddedMySql;
import io.stardust.kit.MySqlOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on embedded defaults: starts a real MySQL 8 (from the server kit), bootstraps, defines a model,
 * provisions a page, writes entries, reads them back and prints them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded MySQL 8, define a model, write entries and read them back.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "Working directory for the embedded servers (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("demo-data");

    @Option(names = "--entries", description = "How many sample entries to write (default: ${DEFAULT-VALUE}).")
    int entries = 1000;

    @Override
    public Integer call() {
        System.out.println("starting embedded MySQL 8.0.31 in " + dir.toAbsolutePath() + " ...");
        try (EmbeddedMySql mysql = EmbeddedMySql.start(MySqlOptions.forTests(dir.toAbsolutePath()))) {
            mysql.recreateDatabase("stardust_demo");
            StarDustConfig config = StarDustConfig.of(mysql.jdbcUrl("stardust_demo"), mysql.user(), mysql.password())
                    .withArtifactDir(dir.toAbsolutePath().resolve("artifacts"));
            try (StarDust engine = StarDust.connect(config)) {
                run(engine);
            }
        }
        return 0;
    }

    private void run(StarDust engine) {
        engine.bootstrap();
        ModelDefinition company = engine.defineModel(1, "company", List.of(
                new FieldSpec("name", DeclaredType.STRING, true),
                new FieldSpec("industry", DeclaredType.STRING, true),
                new FieldSpec("employees", DeclaredType.INT, true),
                new FieldSpec("founded", DeclaredType.DATETIME, true),
                new FieldSpec("city", DeclaredType.STRING, false)));
        engine.ensureSlots(1, company.modelId());
        System.out.println("model 'company' (id " + company.modelId() + ") with filterable fields on page 1");

        String[] industries = {"software", "retail", "energy", "logistics"};
        String[] cities = {"Berlin", "Lisbon", "Oslo", "Jakarta", "Lagos"};
        List<EntryPayload> batch = new ArrayList<>();
        long written = 0;
        for (int i = 1; i <= entries; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", "Company " + i);
            fields.put("industry", industries[i % industries.length]);
            fields.put("employees", 10 + (i * 37) % 5000);
            fields.put("founded", String.format("%04d-%02d-01T09:00:00Z", 1950 + i % 70, 1 + i % 12));
            fields.put("city", cities[i % cities.length]);
            batch.add(EntryPayload.of(1, company.modelId(), fields));
            if (batch.size() == 500 || i == entries) {
                written += engine.bulkWrite(batch).entriesCommitted();
                batch.clear();
            }
        }
        System.out.println("wrote " + written + " entries");

        EntryPage page = engine.read(EntryQuery.all(1, company.modelId()).withPageSize(5));
        System.out.println("first page of entries read back (slot-backed fields come from indexed columns):");
        for (Entry e : page.rows()) {
            System.out.println("  #" + e.id() + " " + Json.write(e.fields()));
        }
        System.out.println("next cursor: " + page.nextCursor());
    }
}

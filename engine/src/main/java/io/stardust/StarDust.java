package io.stardust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.stardust.engine.access.ApiKeys;
import io.stardust.engine.access.IdempotencyRecords;
import io.stardust.engine.db.Pools;
import io.stardust.engine.db.Sql;
import io.stardust.engine.db.Tx;
import io.stardust.engine.db.UtcClock;
import io.stardust.engine.export.ExportEnvelope;
import io.stardust.engine.export.ExportJobs;
import io.stardust.engine.imports.ImportJobs;
import io.stardust.engine.lifecycle.Compaction;
import io.stardust.engine.lifecycle.Deletions;
import io.stardust.engine.lifecycle.FieldLifecycleInitiator;
import io.stardust.engine.lifecycle.LifecycleStatusReader;
import io.stardust.engine.lifecycle.Renames;
import io.stardust.engine.read.EntryReader;
import io.stardust.engine.read.SnapshotCache;
import io.stardust.engine.schema.RegistryReader;
import io.stardust.engine.schema.SchemaBootstrapper;
import io.stardust.engine.schema.SchemaBuilder;
import io.stardust.engine.search.MySqlSearchDriver;
import io.stardust.engine.search.PreFlight;
import io.stardust.engine.search.SearchService;
import io.stardust.engine.slot.ModelCapacity;
import io.stardust.engine.slot.PageProvisioner;
import io.stardust.engine.slot.SlotReserver;
import io.stardust.engine.write.BulkIngestor;
import io.stardust.engine.write.BulkSubmitter;
import io.stardust.engine.write.EntryWriter;
import io.stardust.engine.write.TenantIds;
import io.stardust.filter.FilterNode;
import io.stardust.filter.JsonFilterDecoder;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The StarDust engine: schemaless per-tenant fields whose filterable ones are mirrored into typed, indexed slot
 * columns. Thread-safe; create one per process and share it.
 *
 * <pre>{@code
 * try (StarDust engine = StarDust.connect(StarDustConfig.of(dsn, user, pass))) {
 *     engine.bootstrap();
 *     ModelDefinition company = engine.defineModel(1, "company", List.of(
 *             new FieldSpec("name", DeclaredType.STRING, true), new FieldSpec("employees", DeclaredType.INT, true)));
 *     engine.write(EntryPayload.of(1, company.modelId(), Map.of("name", "Acme", "employees", 340)));
 *     EntryPage page = engine.read(EntryQuery.all(1, company.modelId()));
 * }
 * }</pre>
 *
 * Every method that takes a tenant id rejects ids below 1 with {@link InvalidTenantIdException} before any SQL.
 */
public final class StarDust implements AutoCloseable {
    public static final String VERSION = "0.3.0-alpha.1";

    private final DataSource ds;
    private final AutoCloseable ownedPool;
    private final StarDustConfig config;
    private final UtcClock clock;
    private final SchemaBuilder schemaBuilder;
    private final RegistryReader registry;
    private final PageProvisioner provisioner;
    private final SlotReserver reserver;
    private final EntryWriter writer;
    private final BulkIngestor bulk;
    private final BulkSubmitter submitter;
    private final SearchService search;
    private final FieldLifecycleInitiator lifecycle;
    private final Renames renames;
    private final Deletions deletions;
    private final Compaction compaction;
    private final ImportJobs importJobs;
    private final LifecycleStatusReader lifecycleReader;
    private final SnapshotCache snapshots;
    private final ApiKeys apiKeys;
    private final IdempotencyRecords idempotency;
    private final ExportJobs exportJobs;

    private StarDust(DataSource ds, AutoCloseable ownedPool, StarDustConfig config, Clock clock,
                     EntrySearchDriver searchDriver) {
        this.ds = ds;
        this.ownedPool = ownedPool;
        this.config = config;
        this.clock = new UtcClock(clock);
        this.schemaBuilder = new SchemaBuilder(ds, this.clock);
        this.registry = new RegistryReader(ds);
        this.provisioner = new PageProvisioner(ds, this.clock, identity());
        this.reserver = new SlotReserver(ds, this.clock);
        this.writer = new EntryWriter(ds, this.clock);
        this.bulk = new BulkIngestor(ds, this.clock);
        this.submitter = new BulkSubmitter(ds, this.clock, config.artifactDir());
        this.lifecycle = new FieldLifecycleInitiator(ds, this.clock, reserver);
        this.renames = new Renames(ds, this.clock);
        this.deletions = new Deletions(ds, this.clock);
        this.compaction = new Compaction(ds, lifecycle, clock, d -> Thread.sleep(d.toMillis()));
        this.importJobs = new ImportJobs(ds);
        this.lifecycleReader = new LifecycleStatusReader(ds);
        // One snapshot cache shared by pre-flight and the native driver.
        this.snapshots = new SnapshotCache(ds, clock);
        this.apiKeys = new ApiKeys(ds, clock, new SecureRandom());
        this.idempotency = new IdempotencyRecords(ds, clock);
        EntrySearchDriver driver = searchDriver != null ? searchDriver
                : new MySqlSearchDriver(ds, snapshots, new EntryReader(ds));
        this.search = new SearchService(snapshots, new PreFlight(config.filterLimits().maxStringLength()), driver, registry);
        this.exportJobs = new ExportJobs(ds, this.clock, config.exportActiveCap());
    }

    /** Opens a connection pool from the config; {@link #close()} closes it. */
    public static StarDust connect(StarDustConfig config) {
        HikariDataSource pool = Pools.open(config.dsn(), config.user(), config.password(), config.poolSize(), "stardust");
        return new StarDust(pool, pool, config, Clock.systemUTC(), null);
    }

    /** Uses a data source the caller owns (and closes), with an injectable clock. */
    public static StarDust create(DataSource ds, StarDustConfig config, Clock clock) {
        return new StarDust(ds, null, config, clock, null);
    }

    /**
     * Like {@link #create(DataSource, StarDustConfig, Clock)}, with searches ({@code read}, {@code search},
     * {@code get}) served by another driver; null means the MySQL-native one. Pre-flight still validates filters
     * against MySQL's registry.
     */
    public static StarDust create(DataSource ds, StarDustConfig config, Clock clock, EntrySearchDriver searchDriver) {
        return new StarDust(ds, null, config, clock, searchDriver);
    }

    public DataSource dataSource() {
        return ds;
    }

    public StarDustConfig config() {
        return config;
    }

    public Clock clock() {
        return clock.clock();
    }

    // ---- schema and registry --------------------------------------------------------------------------------

    /**
     * Creates every StarDust table if missing; idempotent and non-destructive. Refuses MariaDB and MySQL before
     * 8.0.13 with {@link UnsupportedServerException} before touching anything.
     */
    public void bootstrap() {
        Tx.withConnection(ds, c -> {
            new SchemaBootstrapper().bootstrap(c);
            return null;
        });
    }

    /**
     * Get-or-create a model and its fields; bumps the schema version only if something was inserted. The model is
     * found by {@link #findModel}'s name rule. Re-running an identical definition changes nothing; a field that
     * contradicts its registered definition (type, filterability or spelling) or another field of the same call
     * throws {@link FieldDefinitionConflictException} and registers nothing (its message names the lifecycle
     * operation that makes the change). Names must be 1..128 characters after trimming
     * ({@link InvalidModelDefinitionException}).
     *
     * @throws ModelDeletionInProgressException the model of this name is being deleted (until its purge ends)
     * @throws FieldDeletionInProgressException a field of this name is being deleted (until its purge ends)
     * @throws FieldNameConflictException       a field of the model is being renamed away from this name
     */
    public ModelDefinition defineModel(long tenantId, String name, List<FieldSpec> fields) {
        TenantIds.require(tenantId);
        return schemaBuilder.createModel(tenantId, name, fields);
    }

    public List<ModelSummary> listModels(long tenantId) {
        return registry.listModels(TenantIds.require(tenantId));
    }

    /**
     * The tenant's model of this name, with its registered spelling. Names are trimmed and compared case- and
     * accent-insensitively (MySQL's {@code utf8mb4_0900_ai_ci}, the registry's unique key): {@code Company} and
     * {@code cómpany} find {@code company}. Every entry point (define, CLI, HTTP, search filters, the gateway)
     * resolves names this way.
     */
    public Optional<ModelSummary> findModel(long tenantId, String name) {
        return registry.findModel(TenantIds.require(tenantId), name);
    }

    /** Empty when the model does not exist or belongs to another tenant. */
    public Optional<ModelDescription> describeModel(long tenantId, int modelId) {
        return registry.describeModel(TenantIds.require(tenantId), modelId);
    }

    /** Provisions the next slot page with indexes on the named slot columns; returns its page id. */
    public int provisionPage(List<String> filterableSlots) {
        return provisioner.provision(filterableSlots);
    }

    /** Reserves a free slot for a filterable field (status assigned); empty when no slot of its family is free. */
    public Optional<SlotAssignment> reserveSlot(long fieldId) {
        return reserver.reserve(fieldId);
    }

    /**
     * Gives every filterable field of the model that has no live slot an indexed one, provisioning a page indexed
     * for the missing columns if needed, so a fresh database is queryable without the daemons. Idempotent.
     */
    public List<SlotAssignment> ensureSlots(long tenantId, int modelId) {
        describeModel(tenantId, modelId).orElseThrow(
                () -> new ModelNotFoundException("model " + modelId + " does not exist for tenant " + tenantId));
        return new ModelCapacity(ds, provisioner, reserver, config.lockNamespace()).ensureSlots(modelId);
    }

    // ---- field lifecycle ------------------------------------------------------------------------------------

    /**
     * Changes a field's declared type. One atomic registry change: the field row, its live slot tombstoned (the
     * Liberator reclaims it), a {@code backfilling} replacement of the new family reserved when the field is
     * filterable (deferred when none is free), and a checkpoint from which a running Reconciler backfills the new slot
     * from the JSON payloads with the retype coercion matrix. Writes coerce against the new type from the moment this
     * returns; reads take the value from JSON and filters on the field throw {@link FieldNotIndexedException} until the
     * backfill completes. A retype to the same type relocates the field's values to a new slot.
     *
     * @throws FieldNotFoundException       the field does not exist for the tenant
     * @throws IncompatibleRetypeException  between int/numeric and datetime (bridge through a string field)
     * @throws RetypeInProgressException    the field's previous backfill is still running
     */
    public FieldLifecycleChange retypeField(long tenantId, long fieldId, DeclaredType newDeclaredType) {
        TenantIds.require(tenantId);
        if (newDeclaredType == null) {
            throw new IllegalArgumentException("newDeclaredType is required (string, int, numeric or datetime)");
        }
        return lifecycle.initiate(tenantId, fieldId, newDeclaredType, null, null);
    }

    /**
     * Makes a field filterable: a {@code backfilling} slot (or a deferred one) and a backfill checkpoint, as
     * {@link #retypeField}; filters on it work once the backfill completes.
     */
    public FieldLifecycleChange promoteFieldToFilterable(long tenantId, long fieldId) {
        TenantIds.require(tenantId);
        return lifecycle.initiate(tenantId, fieldId, null, true, null);
    }

    /**
     * Makes a field JSON-only, complete on return: its slot is tombstoned, filters on it throw
     * {@link FieldNotFilterableException} and reads take it from JSON at once.
     */
    public FieldLifecycleChange demoteFieldFromFilterable(long tenantId, long fieldId) {
        TenantIds.require(tenantId);
        return lifecycle.initiate(tenantId, fieldId, null, false, null);
    }

    /**
     * Renames a field. The registry changes at once (one schema-version bump) and a running Reconciler then moves
     * the values from the old key to the new one in every payload. Meanwhile reads return the value under the new
     * name for every entry, filters on the new name work at once (the slot is untouched) and filters on the old name
     * throw {@link UnknownFieldException}; writes that send the old key are stored under the new one. Until the
     * rewrite finishes the field cannot be retyped, promoted, demoted or renamed again
     * ({@link RenameInProgressException}).
     *
     * @throws FieldNameConflictException another field of the model has, or is being renamed from, that name
     * @throws RetypeInProgressException  the field's retype or promotion backfill is running
     */
    public void renameField(long tenantId, long fieldId, String newName) {
        TenantIds.require(tenantId);
        renames.renameField(tenantId, fieldId, newName);
    }

    /**
     * Renames a model: a label change, complete on return (entries, slots and filters are untouched).
     *
     * @throws ModelNotFoundException     the model does not exist for the tenant
     * @throws ModelNameConflictException another model of the tenant has that name (case- and accent-insensitive)
     */
    public void renameModel(long tenantId, int modelId, String newName) {
        TenantIds.require(tenantId);
        renames.renameModel(tenantId, modelId, newName);
    }

    /**
     * Deletes a field: at once it disappears from reads, {@code get}, {@code describeModel} and filters
     * ({@link UnknownFieldException}), writes drop its key, and its slot is tombstoned; a running Reconciler then
     * removes the key from every payload and finally the field row (only then can the name be used again). No
     * undelete. False when the field does not exist for the tenant or is already being deleted.
     *
     * @throws RenameInProgressException its rename is still rewriting payloads
     * @throws RetypeInProgressException its retype or promotion backfill is running
     */
    public boolean deleteField(long tenantId, long fieldId) {
        TenantIds.require(tenantId);
        return deletions.deleteField(tenantId, fieldId);
    }

    /**
     * Deletes a model and all its entries: at once {@code listModels}/{@code describeModel} stop reporting it,
     * {@code read}/{@code search} return empty pages and {@code get} nothing, writes throw
     * {@link ModelDeletionInProgressException} and {@code deleteEntry} returns false; a running Reconciler then
     * hard-deletes the entries in chunks and finally the model. False when the model does not exist for the tenant or
     * is already being deleted.
     *
     * @throws RenameInProgressException        one of its fields is being renamed
     * @throws RetypeInProgressException        one of its fields is being backfilled
     * @throws FieldDeletionInProgressException one of its fields is being deleted
     */
    public boolean deleteModel(long tenantId, int modelId) {
        TenantIds.require(tenantId);
        return deletions.deleteModel(tenantId, modelId);
    }

    /**
     * Moves the model's live filterable slots onto as few of the pages it occupies as their free indexed capacity
     * allows, one field at a time (each a relocation whose backfill a running Reconciler performs; this call waits for
     * each, polling every 200 ms, at most 3000 times). {@code dryRun} returns the plan and changes nothing.
     *
     * @throws CompactionCapacityException no smaller set of pages can hold the slots (nothing was mutated), a pinned
     *                                     reservation missed, or a relocation failed or did not finish in time
     * @throws ModelNotFoundException      the model does not exist for the tenant
     */
    public CompactionPlan compactModel(long tenantId, int modelId, boolean dryRun) {
        TenantIds.require(tenantId);
        return compaction.compact(tenantId, modelId, dryRun);
    }

    /**
     * The tenant's field-lifecycle checkpoints (running, completed and failed backfills and renames; deletions while
     * they run or after they failed) with their progress, oldest first; {@code modelId} null means every model.
     * Read-only: what {@code bin/stardust lifecycle:status} and {@code model:describe} show.
     */
    public List<LifecycleCheckpoint> lifecycleStatus(long tenantId, Integer modelId) {
        TenantIds.require(tenantId);
        return lifecycleReader.list(tenantId, modelId);
    }

    // ---- writes ---------------------------------------------------------------------------------------------

    public EntryWriteResult write(EntryPayload payload) {
        return writer.write(payload);
    }

    /** Synchronous bulk write of at most 1000 entries in chunks of 500, one transaction per chunk. */
    public BulkIngestResult bulkWrite(List<EntryPayload> payloads) {
        return bulk.bulkWrite(payloads, BulkIngestOptions.DEFAULTS);
    }

    public BulkIngestResult bulkWrite(List<EntryPayload> payloads, BulkIngestOptions options) {
        return bulk.bulkWrite(payloads, options);
    }

    /**
     * Queues a large import: writes the payloads to an artifact under {@code artifactDir} and a pending import job.
     * The same non-null idempotency key returns the existing job's id.
     */
    public long submitBulkWrite(long tenantId, List<EntryPayload> payloads, String idempotencyKey) {
        return submitter.submit(tenantId, payloads, idempotencyKey);
    }

    /**
     * An import job's status and progress ({@code entriesWritten}, {@code chunks}, one manifest record per processed
     * window); empty when the job does not exist or belongs to another tenant. A running Reconciler processes jobs.
     */
    public Optional<ImportJob> getImportJob(long tenantId, long jobId) {
        TenantIds.require(tenantId);
        return importJobs.get(tenantId, jobId);
    }

    /** Full replace of an entry's fields; {@link EntryNotFoundException} when missing, foreign or deleted. */
    public EntryWriteResult updateEntry(long tenantId, long entryId, ObjectNode fields) {
        return writer.update(tenantId, entryId, fields);
    }

    /** {@link #updateEntry(long, long, ObjectNode)} from plain Java values (String, Number, Boolean, List, Map, null). */
    public EntryWriteResult updateEntry(long tenantId, long entryId, java.util.Map<String, ?> fields) {
        return updateEntry(tenantId, entryId, EntryPayload.of(tenantId, 0, fields).fields());
    }

    /** Soft delete; false when the entry is missing, foreign or already deleted. */
    public boolean deleteEntry(long tenantId, long entryId) {
        return writer.delete(tenantId, entryId);
    }

    /**
     * Inserts the entry with this external key, or fully replaces its fields if it exists (update semantics).
     * Keys are 1..255 characters, case-sensitive, unique per (tenant, model). A key whose entry was deleted gets
     * a new entry. {@link ModelNotFoundException} when the model is not the tenant's.
     */
    public EntryWriteResult upsertByKey(long tenantId, int modelId, String key, ObjectNode fields) {
        return writer.upsertByKey(tenantId, modelId, key, fields);
    }

    /** Soft-deletes the entry with this external key; false when there is none or it is already deleted. */
    public boolean deleteByKey(long tenantId, int modelId, String key) {
        return writer.deleteByKey(tenantId, modelId, key);
    }

    // ---- exports --------------------------------------------------------------------------------------------

    /**
     * Queues an export: a running Chronicler ({@code bin/stardust chronicler}) writes every live entry of the model
     * that the filter matches, in id order, exactly as {@link #search} pages return them, to a file under
     * {@code artifactDir}. The request is checked as a search is, with the same exceptions, before anything is
     * written: tenant id, the model is the tenant's ({@link ModelNotFoundException}), the filter document
     * ({@link QueryFilterValidationException}) and its pre-flight ({@link UnknownFieldException},
     * {@link FieldNotFilterableException}, {@link FieldNotIndexedException}); each selected field must be a live field
     * of the model ({@link UnknownFieldException}). A model being deleted is refused
     * ({@link ModelDeletionInProgressException}).
     *
     * @return the job id, for {@link #getExportJob} and {@link #exportArtifact}
     * @throws ExportJobActiveCapExceededException the tenant already has {@code chroniclerPerTenantActiveCap}
     *                                             ({@link StarDustConfig#exportActiveCap()}) pending or processing
     *                                             exports
     */
    public long submitExport(ExportRequest request) {
        long tenantId = TenantIds.require(request.tenantId());
        String correlationId = request.correlationId().isEmpty() ? java.util.UUID.randomUUID().toString()
                : request.correlationId();
        FilterNode filter = request.filter() == null ? null
                : new JsonFilterDecoder(config.filterLimits()).decode(request.filter());
        var snapshot = search.check(tenantId, request.modelId(), filter, correlationId);
        if (snapshot.modelDeleted()) {
            throw new ModelDeletionInProgressException("model " + request.modelId() + " of tenant " + tenantId
                    + " is being deleted; it cannot be exported");
        }
        List<String> select = request.select();
        if (select != null) {
            if (select.isEmpty()) {
                throw new IllegalArgumentException("select must name at least one field (null exports every field)");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < select.size(); i++) {
                String name = select.get(i);
                if (snapshot.field(name) == null) {
                    throw new UnknownFieldException("/select/" + i, "select names '" + name + "', which is not a field of "
                            + "model " + snapshot.modelName(), java.util.Map.of("field", String.valueOf(name)));
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("select names '" + name + "' twice");
                }
            }
        }
        String canonical = filter == null ? null : io.stardust.filter.JsonFilterEncoder.toWireText(filter);
        return exportJobs.submit(tenantId, request.format(),
                new ExportEnvelope(request.modelId(), canonical, select, request.gzip()), correlationId);
    }

    /** The export job, or empty when it does not exist or belongs to another tenant. */
    public Optional<ExportJob> getExportJob(long tenantId, long jobId) {
        TenantIds.require(tenantId);
        return exportJobs.get(tenantId, jobId);
    }

    /** The tenant's most recent export jobs of a model, newest first, at most {@code limit} (1..1000). */
    public List<ExportJob> listExportJobs(long tenantId, int modelId, int limit) {
        return recentExportJobs(tenantId, modelId, limit);
    }

    /** The tenant's most recent export jobs of every model, newest first, at most {@code limit} (1..1000). */
    public List<ExportJob> listExportJobs(long tenantId, int limit) {
        return recentExportJobs(tenantId, null, limit);
    }

    private List<ExportJob> recentExportJobs(long tenantId, Integer modelId, int limit) {
        TenantIds.require(tenantId);
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
        return exportJobs.recent(tenantId, modelId, limit);
    }

    /**
     * The completed export's file; empty while the job is pending, processing or failed, when it is another tenant's,
     * and after the Chronicler's garbage collector deleted the file ({@code chroniclerArtifactTtlSeconds}).
     */
    public Optional<ExportArtifact> exportArtifact(long tenantId, long jobId) {
        TenantIds.require(tenantId);
        return exportJobs.artifact(tenantId, jobId);
    }

    // ---- reads ----------------------------------------------------------------------------------------------

    /**
     * One page of a model's entries in id order, filtered (null filter matches all), projected and paginated as
     * the query says. Checks, in order: tenant id ({@link InvalidTenantIdException}), the model belongs to the
     * tenant ({@link ModelNotFoundException}), filter pre-flight ({@link UnknownFieldException},
     * {@link FieldNotFilterableException}, {@link FieldNotIndexedException}, {@link QueryFilterValidationException}),
     * then the cursor ({@link InvalidCursorException}); nothing touches entry data before they pass.
     *
     * <p>Values of fields that are indexed now come from their slot column (typed as the column); every other field
     * (not filterable, backfilling, tombstoned, unmapped, or not registered) comes from the JSON payload.
     */
    public EntryPage read(EntryQuery query) {
        return search.search(SearchRequest.of(query));
    }

    /** {@link #read} with a caller-chosen correlation id for the events it logs (empty: one is allocated). */
    public EntryPage search(SearchRequest request) {
        return search.search(request);
    }

    /** The entry's whole payload, or empty when missing, foreign or deleted. Served by the active search driver. */
    public Optional<Entry> get(long tenantId, long entryId) {
        TenantIds.require(tenantId);
        return search.driver().get(tenantId, entryId);
    }

    /** The driver serving searches: the MySQL-native one unless another was injected. */
    public EntrySearchDriver searchDriver() {
        return search.driver();
    }

    /**
     * The read path's registry caches (snapshots behind reads, searches and pre-flight): a process that follows the
     * registry topic reports changes here and switches them from the per-read version probe to
     * {@link RegistryCaches#followChanges()}.
     */
    public RegistryCaches registryCaches() {
        return snapshots;
    }

    /** The HTTP API's keys ({@code bin/stardust apikey:*}); only their SHA-256 is stored. */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** Answers remembered under clients' {@code Idempotency-Key}s, per API key. */
    public IdempotencyRecords idempotencyRecords() {
        return idempotency;
    }

    /** The registry's current schema version. */
    public long schemaVersion() {
        return Tx.withConnection(ds, c -> Sql.queryLong(c, "SELECT version FROM stardust_schema_version WHERE id = 1", 0));
    }

    @Override
    public void close() {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new StarDustException("cannot close the connection pool", e);
            }
        }
    }

    private static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}

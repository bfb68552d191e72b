package io.stardust.engine.search;

import io.stardust.EntryPage;
import io.stardust.EntrySearchDriver;
import io.stardust.FieldNotSortableException;
import io.stardust.SearchRequest;
import io.stardust.SortSpec;
import io.stardust.UnknownFieldException;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.read.SchemaSnapshot;
import io.stardust.engine.read.SnapshotCache;
import io.stardust.engine.schema.RegistryReader;
import io.stardust.engine.write.TenantIds;
import io.stardust.filter.Filters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs reads and searches: tenant check, correlation id, the model's registry snapshot (which also
 * refuses a model of another tenant), pre-flight when there is a filter, then the active driver, then one
 * {@code search_request} event on success. The page size was checked when the {@link io.stardust.EntryQuery} was
 * built; an invalid cursor surfaces from the driver, after pre-flight.
 *
 * <p>The snapshot is taken even without a filter (upstream only took it for filters) because it is also the check
 * that the model belongs to the tenant; the native driver reuses it, so a read costs one version probe (none while
 * the caches follow the registry topic, {@link io.stardust.RegistryCaches#followChanges()}).
 */
public final class SearchService {
    private final SnapshotCache snapshots;
    private final PreFlight preFlight;
    private final EntrySearchDriver driver;
    private final RegistryReader registry;
    private final EventLog events = new EventLog("api");

    public SearchService(SnapshotCache snapshots, PreFlight preFlight, EntrySearchDriver driver, RegistryReader registry) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.preFlight = Objects.requireNonNull(preFlight, "preFlight");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public EntrySearchDriver driver() {
        return driver;
    }

    public EntryPage search(SearchRequest request) {
        long started = System.nanoTime();
        long tenantId = TenantIds.require(request.tenantId());
        if (request.correlationId().isEmpty()) {
            request = request.withCorrelationId(UUID.randomUUID().toString());
        }
        String correlationId = request.correlationId();
        var filter = request.query().filter();
        SchemaSnapshot snapshot = check(tenantId, request.modelId(), filter, correlationId);
        requireKnown(request.query().selectFields(), snapshot);
        requireSortable(request.query().sort(), snapshot);
        EntryPage page = driver instanceof MySqlSearchDriver mysql ? mysql.list(request, snapshot) : driver.list(request);
        String strategy = driver instanceof MySqlSearchDriver ? SqlFilterCompiler.strategyOf(filter) : "driver_specific";
        events.info("search_request", "correlation_id", correlationId, "tenant_id", tenantId,
                "model_id", request.modelId(), "route", "search",
                "latency_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                "rows_returned", page.rows().size(), "has_more", page.hasMore(),
                "tree_node_count", Filters.nodeCount(filter), "compile_strategy", strategy);
        return page;
    }

    /**
     * Every selected name must be a field of the model (by its current name): a typo would otherwise come back as a
     * column of nulls. Upstream projected any payload key; unregistered keys are still in {@code get}'s payload.
     */
    private static void requireKnown(List<String> select, SchemaSnapshot snapshot) {
        if (select == null) {
            return;
        }
        for (int i = 0; i < select.size(); i++) {
            String name = select.get(i);
            if (snapshot.field(name) == null) {
                throw new UnknownFieldException("/select/" + i, "select: '" + name + "' is not a field of model '"
                        + snapshot.modelName() + "'", Map.of("field", String.valueOf(name)));
            }
        }
    }

    /** A field sort needs a field of the model whose slot the driver can sort on now. */
    private void requireSortable(SortSpec sort, SchemaSnapshot snapshot) {
        if (!sort.byFieldValue()) {
            return;
        }
        SchemaSnapshot.FieldDescriptor f = snapshot.field(sort.key());
        if (f == null) {
            throw new UnknownFieldException("/sort", "sort: '" + sort.key() + "' is not a field of model '"
                    + snapshot.modelName() + "' (or $id, $created_at)", Map.of("field", sort.key()));
        }
        boolean sortable = driver instanceof SnapshotFilterCapability own ? own.supportsFilterOn(f) : driver.supportsSortOn(f.fieldId());
        if (!sortable) {
            throw new FieldNotSortableException("sort: field '" + sort.key() + "' cannot be sorted on: "
                    + (f.filterable() ? "its slot is " + (f.slotStatus() == null ? "unmapped" : f.slotStatus().wireName())
                    + ", not assigned or ready" : "it is not filterable (promote it to sort on it)"));
        }
    }

    /**
     * Everything a search checks before it reads entries (tenant, model of the tenant, filter pre-flight against the
     * active driver), with the same exceptions and events; returns the snapshot checked against. Exports validate
     * their filter with it at submission.
     */
    public SchemaSnapshot check(long tenantId, int modelId, io.stardust.filter.FilterNode filter, String correlationId) {
        TenantIds.require(tenantId);
        SchemaSnapshot snapshot = snapshots.get(tenantId, modelId, correlationId);
        if (filter != null) {
            preFlight.check(filter, snapshot, driver, new PreFlight.Context(correlationId, tenantId),
                    namesOf(tenantId, snapshot));
        }
        return snapshot;
    }

    /**
     * Whether a filter's {@code field.model} names the request's model, under the registry's name rule. The
     * registered spelling is answered without SQL; any other spelling ({@code Company}, {@code cómpany}) is asked
     * of the registry once per request, because only MySQL applies the collation exactly.
     */
    private Predicate<String> namesOf(long tenantId, SchemaSnapshot snapshot) {
        Map<String, Boolean> answers = new HashMap<>();
        return name -> name.equals(snapshot.modelName()) || answers.computeIfAbsent(name, n -> registry.findModel(tenantId, n)
                .map(m -> m.modelId() == snapshot.modelId()).orElse(false));
    }
}

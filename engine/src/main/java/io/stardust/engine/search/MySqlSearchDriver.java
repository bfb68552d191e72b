package io.stardust.engine.search;

import io.stardust.Entry;
import io.stardust.EntryPage;
import io.stardust.EntrySearchDriver;
import io.stardust.SearchRequest;
import io.stardust.engine.db.Tx;
import io.stardust.engine.read.EntryReader;
import io.stardust.engine.read.SchemaSnapshot;
import io.stardust.engine.read.SchemaSnapshot.FieldDescriptor;
import io.stardust.engine.read.SnapshotCache;
import io.stardust.filter.FilterNode;
import io.stardust.filter.LeafNode;
import io.stardust.filter.Operators;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The MySQL-native driver: filters run on the typed slot columns and their {@code (tenant_id, slot)}
 * indexes. Strongly consistent (it reads the system of record), no fuzzy search, the twelve v1 leaf operators.
 * A field can be filtered iff it is declared filterable and its slot is {@code assigned} or {@code ready}.
 */
public final class MySqlSearchDriver implements EntrySearchDriver, SnapshotFilterCapability {
    private final DataSource ds;
    private final SnapshotCache snapshots;
    private final EntryReader reader;

    public MySqlSearchDriver(DataSource ds, SnapshotCache snapshots, EntryReader reader) {
        this.ds = ds;
        this.snapshots = snapshots;
        this.reader = reader;
    }

    @Override
    public EntryPage list(SearchRequest request) {
        return list(request, snapshots.get(request.tenantId(), request.modelId(), request.correlationId()));
    }

    /** Lists with the snapshot pre-flight validated against, so check and compilation see the same registry. */
    public EntryPage list(SearchRequest request, SchemaSnapshot snapshot) {
        if (snapshot.modelDeleted()) {
            return new EntryPage(java.util.List.of(), null, request.query().pageSize()); // dark from the moment of deletion
        }
        return reader.list(request.query(), snapshot, toFilterSql(compile(request.query().filter(), snapshot)));
    }

    /**
     * Compiles a pre-flighted filter against the snapshot's slot layout. Table and column names come only from the
     * registry (and {@link ResolvedColumn} re-validates their shape); values are only ever bound.
     *
     * @throws IllegalStateException if a leaf's field is not indexed now (pre-flight was skipped)
     */
    public static CompiledFilter compile(FilterNode filter, SchemaSnapshot snapshot) {
        return SqlFilterCompiler.compile(filter, leaf -> columnOf(leaf, snapshot));
    }

    /** The probe's filter fragments in the reader's terms. */
    public static EntryReader.FilterSql toFilterSql(CompiledFilter compiled) {
        // The join strategy aliases its first page p0 (SqlFilterCompiler); it drives the probe (see EntryReader.probeSql).
        String driving = compiled.joins().isEmpty() ? null : "p0";
        return new EntryReader.FilterSql(compiled.joins(), compiled.hasPredicate() ? compiled.predicate() : null,
                compiled.bindings(), driving);
    }

    private static ResolvedColumn columnOf(LeafNode leaf, SchemaSnapshot snapshot) {
        FieldDescriptor f = snapshot.field(leaf.field().fieldName());
        if (f == null || !f.indexedNow()) {
            return null;
        }
        return new ResolvedColumn(f.table(), f.slotColumn(), f.type().wireName(), f.pageLayout());
    }

    @Override
    public Optional<Entry> get(long tenantId, long entryId) {
        return Optional.ofNullable(reader.get(tenantId, entryId));
    }

    @Override
    public List<String> supportedOperators() {
        return Operators.LEAF_OPERATORS;
    }

    /** Its own registry read: filterable, and the field's live slot is assigned or ready. Unknown ids are false. */
    @Override
    public boolean supportsFilterOn(long fieldId) {
        return Tx.withConnection(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT f.is_filterable, sa.status FROM stardust_fields f"
                    + " LEFT JOIN stardust_slot_assignments sa ON sa.field_id = f.id AND sa.status <> 'free'"
                    + " WHERE f.id = ?")) {
                ps.setLong(1, fieldId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString(2);
                        if (rs.getBoolean(1) && ("assigned".equals(status) || "ready".equals(status))) {
                            return true;
                        }
                    }
                    return false;
                }
            }
        });
    }

    /** Sorting uses the slot's index as filtering does: the same rule. */
    @Override
    public boolean supportsSortOn(long fieldId) {
        return supportsFilterOn(fieldId);
    }

    @Override
    public boolean supportsFilterOn(FieldDescriptor field) {
        return field.indexedNow();
    }

    @Override
    public boolean supportsFuzzySearch() {
        return false;
    }

    @Override
    public Consistency consistencyModel() {
        return Consistency.STRONG;
    }
}

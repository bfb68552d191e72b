package io.stardust;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where searches run. The engine ships a MySQL-native driver (the slot indexes); another driver, such
 * as an external search index fed from the change stream, can be injected with
 * {@link StarDust#create(javax.sql.DataSource, StarDustConfig, java.time.Clock, EntrySearchDriver)}; then
 * {@code read}, {@code search} and {@code get} all route to it. Drivers are read-only: writes always go to MySQL.
 *
 * <p>Before {@link #list} is called the engine has pre-flighted the filter against MySQL's registry, whatever the
 * driver: every leaf names a field of the request's model, uses an operator from {@link #supportedOperators()},
 * targets a field for which {@link #supportsFilterOn} is true, and carries values of the field's declared type. A
 * driver may rely on that. Implementations must be thread-safe.
 */
public interface EntrySearchDriver {

    /** Whether a driver sees a write as soon as it commits. */
    enum Consistency {
        STRONG, EVENTUAL;

        /** {@code strong} or {@code eventual}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One page of the request's model in the query's order ({@link SortSpec}), honouring filter (null matches all),
     * select fields, page size and cursor as {@link StarDust#read} documents. A sort on a field reaches the driver only
     * when {@link #supportsSortOn} said yes.
     */
    EntryPage list(SearchRequest request);

    /** The entry's whole payload; empty when missing, another tenant's, or soft-deleted. */
    Optional<Entry> get(long tenantId, long entryId);

    /** The leaf operators this driver evaluates; a leaf with any other operator fails {@code capability_unsupported}. */
    List<String> supportedOperators();

    /** Whether filters on the field can run now. */
    boolean supportsFilterOn(long fieldId);

    /** Whether reads can be sorted on the field now; a driver that cannot sort by field values keeps the default. */
    default boolean supportsSortOn(long fieldId) {
        return false;
    }

    boolean supportsFuzzySearch();

    Consistency consistencyModel();
}

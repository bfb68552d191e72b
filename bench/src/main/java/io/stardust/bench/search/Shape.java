package io.stardust.bench.search;

import io.stardust.SortSpec;
import io.stardust.filter.FilterNode;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One filter shape of the benchmark, asked three ways: through the engine, on the plain table with native indexed
 * columns, and as a JSON_EXTRACT scan of {@code entry_data.fields}.
 *
 * @param label  the table's row label: operator, type, selectivity
 * @param domain the random parameter k of each iteration is drawn from [0, domain)
 * @param caseOf the three formulations of the query for one k
 */
record Shape(String label, int domain, IntFunction<Case> caseOf) {

    /**
     * One query three ways. {@code plainWhere} is ANDed after {@code tenant_id = ?} on {@code plain_orders},
     * {@code jsonWhere} after the tenant, model and soft-delete predicates on {@code entry_data}. A non-id sort is
     * on {@code amount} in all three.
     */
    record Case(FilterNode filter, SortSpec sort, String plainWhere, List<Object> plainArgs, String jsonWhere,
                List<Object> jsonArgs) {
        boolean sortedByAmount() {
            return !sort.key().equals(SortSpec.ID);
        }
    }
}

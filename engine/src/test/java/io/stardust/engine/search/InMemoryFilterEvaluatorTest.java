package io.stardust.engine.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.engine.search.InMemoryFilterEvaluator.EntrySlots;
import io.stardust.filter.FilterNode;
import io.stardust.filter.Filters;
import io.stardust.filter.LeafNode;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryFilterEvaluatorTest {
    private final InMemoryFilterEvaluator eval = new InMemoryFilterEvaluator(
            Map.of("name", "string", "n", "int", "x", "numeric", "at", "datetime"));

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private boolean matches(FilterNode f, EntrySlots e) {
        return eval.matches(f, e);
    }

    private static LeafNode leaf(String field, String op, Object value) {
        return LeafNode.local(field, op, value);
    }

    @Test
    void nullFilterMatchesEverything() {
        assertThat(matches(null, EntrySlots.missingRows(Map.of(), "name", "n"))).isTrue();
    }

    @Test
    void neqAndNinNeverMatchNull_notEqDoes() {
        EntrySlots nullName = EntrySlots.of(values("name", null));
        assertThat(matches(leaf("name", "neq", "acme"), nullName)).isFalse();
        assertThat(matches(leaf("name", "nin", List.of("acme")), nullName)).isFalse();
        assertThat(matches(Filters.not(leaf("name", "eq", "acme")), nullName)).isTrue();
        assertThat(matches(Filters.not(leaf("name", "in", List.of("acme"))), nullName)).isTrue();
    }

    @Test
    void anEntryWithoutAPageRowMatchesNoLeafButMatchesItsNegation() {
        EntrySlots noRow = EntrySlots.missingRows(Map.of(), "name");
        assertThat(matches(leaf("name", "neq", "acme"), noRow)).isFalse();
        assertThat(matches(leaf("name", "is_null", null), noRow)).isFalse();
        assertThat(matches(leaf("name", "is_not_null", null), noRow)).isFalse();
        assertThat(matches(Filters.not(leaf("name", "eq", "acme")), noRow)).isTrue();
        assertThat(matches(Filters.not(leaf("name", "is_not_null", null)), noRow)).isTrue();
        // A missing key in an existing row is a NULL slot, which is_null does match.
        assertThat(matches(leaf("name", "is_null", null), EntrySlots.of(Map.of()))).isTrue();
    }

    @Test
    void stringsCompareCaseAndAccentInsensitivelyWithoutPadding() {
        EntrySlots e = EntrySlots.of(values("name", "Crème Brûlée"));
        assertThat(matches(leaf("name", "eq", "creme brulee"), e)).isTrue();
        assertThat(matches(leaf("name", "in", List.of("x", "CREME BRULEE")), e)).isTrue();
        assertThat(matches(leaf("name", "eq", "creme brulee "), e)).as("NO PAD: trailing space differs").isFalse();
        assertThat(matches(leaf("name", "eq", "cremebrulee"), e)).as("spaces are not ignorable").isFalse();
        assertThat(matches(leaf("name", "eq", "strasse"), EntrySlots.of(values("name", "Straße")))).isTrue();
        assertThat(matches(leaf("name", "lt", "d"), e)).isTrue();
        assertThat(matches(leaf("name", "gt", "CRÈME"), e)).isTrue();
        assertThat(matches(leaf("name", "between", List.of("a", "C")), EntrySlots.of(values("name", "b")))).isTrue();
        assertThat(InMemoryFilterEvaluator.fold("ÉTÉ")).isEqualTo("ete");
    }

    @Test
    void prefixIsCaseAndAccentInsensitiveAndTakesMetacharactersLiterally() {
        EntrySlots e = EntrySlots.of(values("name", "Éclair 50%_off"));
        assertThat(matches(leaf("name", "prefix", "ecl"), e)).isTrue();
        assertThat(matches(leaf("name", "prefix", "eclair 50%_"), e)).isTrue();
        assertThat(matches(leaf("name", "prefix", "eclair 50%x"), e)).isFalse();
        assertThat(matches(leaf("name", "prefix", "Éclair 50%_off!"), e)).isFalse();
        assertThat(matches(leaf("name", "prefix", "ss"), EntrySlots.of(values("name", "ßa")))).isFalse();
    }

    @Test
    void numbersCompareLikeMysql() {
        EntrySlots e = EntrySlots.of(values("n", 100L, "x", 0.0));
        assertThat(matches(leaf("n", "gt", 99), e)).isTrue();
        assertThat(matches(leaf("n", "eq", 100.0), e)).isTrue();
        assertThat(matches(leaf("n", "between", List.of(100, 100)), e)).isTrue();
        assertThat(matches(leaf("n", "between", List.of(200, 1)), e)).as("reversed bounds match nothing").isFalse();
        assertThat(matches(leaf("x", "eq", -0.0), e)).isTrue();
        assertThat(matches(leaf("x", "lt", 1), e)).isTrue();
        assertThat(matches(leaf("n", "nin", List.of(1, 2)), e)).isTrue();
        assertThatThrownBy(() -> matches(leaf("n", "eq", "100"), e)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void datetimesCompareInUtc() {
        EntrySlots e = EntrySlots.of(values("at", "2024-03-01 08:30:00"));
        assertThat(matches(leaf("at", "eq", "2024-03-01T10:30:00+02:00"), e)).isTrue();
        assertThat(matches(leaf("at", "eq", "2024-03-01T08:30:00.900Z"), e)).as("fraction truncated").isTrue();
        assertThat(matches(leaf("at", "gt", "2024-03-01T08:29:59Z"), e)).isTrue();
        assertThat(matches(leaf("at", "lt", "2024-03-01T08:30:00Z"), EntrySlots.of(values("at",
                LocalDateTime.of(2024, 3, 1, 8, 29, 59))))).isTrue();
        assertThat(matches(leaf("at", "prefix", "2024-03-01T08:30:00Z"), e)).isTrue();
    }

    @Test
    void compositesCombineLeafVerdicts() {
        EntrySlots e = EntrySlots.of(values("name", "acme", "n", 5L));
        assertThat(matches(Filters.and(leaf("name", "eq", "ACME"), leaf("n", "lt", 10)), e)).isTrue();
        assertThat(matches(Filters.and(leaf("name", "eq", "ACME"), leaf("n", "gt", 10)), e)).isFalse();
        assertThat(matches(Filters.or(leaf("name", "eq", "x"), Filters.not(leaf("n", "gt", 10))), e)).isTrue();
        assertThatThrownBy(() -> matches(leaf("unknown", "eq", 1), e)).isInstanceOf(IllegalArgumentException.class);
    }
}

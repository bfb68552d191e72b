package io.stardust.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed AST: construction rules, convenience factories, counting. */
class QueryFilterAstTest {

    @Test
    void localLeafHasAnEmptyModelName() {
        LeafNode leaf = LeafNode.local("industry", "eq", "software");
        assertThat(leaf.field()).isEqualTo(new FieldRef("", "industry"));
        assertThat(leaf.field().isLocal()).isTrue();
        assertThat(leaf.value()).isEqualTo(new FilterValue.StringValue("software"));
        assertThat(leaf.pointer()).isNull();
        assertThat(leaf.pointerTo("/value")).isEqualTo("");
    }

    @Test
    void javaValuesAreClassifiedLikeJson() {
        assertThat(LeafNode.local("n", "eq", 7).value()).isEqualTo(new FilterValue.IntegerValue(7));
        assertThat(LeafNode.local("n", "eq", 7.0f).value()).isEqualTo(new FilterValue.FloatValue(7.0));
        assertThat(LeafNode.local("n", "eq", BigInteger.TWO.pow(64)).value())
                .isEqualTo(new FilterValue.FloatValue(Math.pow(2, 64)));
        assertThat(LeafNode.local("n", "in", new Object[] {1, "1", true}).value()).isEqualTo(new FilterValue.ListValue(
                List.of(FilterValue.of(1), FilterValue.of("1"), FilterValue.of(true))));
        assertThat(LeafNode.local("d", "gte", Instant.parse("2024-03-01T10:00:00Z")).value())
                .isEqualTo(new FilterValue.StringValue("2024-03-01T10:00:00Z"));
        assertThat(LeafNode.local("d", "lt", OffsetDateTime.of(2024, 3, 1, 10, 0, 0, 500_000_000, ZoneOffset.ofHours(2)))
                .value()).isEqualTo(new FilterValue.StringValue("2024-03-01T10:00:00.500000+02:00"));
    }

    @Test
    void v1OperatorsCheckTheValueShape() {
        assertThatThrownBy(() -> LeafNode.local("f", "is_null", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "eq")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "eq", List.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "prefix", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "prefix", 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "in", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "nin", 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "between", List.of(1, 2, 3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "in", List.of(List.of(1)))).isInstanceOf(IllegalArgumentException.class);
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> LeafNode.local("f", "in", withNull)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "eq", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeafNode.local("f", "eq", new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionOperatorsAreOpen() {
        assertThat(LeafNode.local("name", "fuzzy", "acme").operator()).isEqualTo("fuzzy");
        assertThat(LeafNode.local("name", "exists").value()).isNull();
        assertThat(Operators.isV1Leaf("fuzzy")).isFalse();
        assertThat(Operators.LEAF_OPERATORS).hasSize(12);
        assertThat(Operators.COMPOSITE_OPERATORS).containsExactly("and", "or", "not");
    }

    @Test
    void compositesNeedChildren() {
        assertThatThrownBy(() -> new AndNode(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(OrNode::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NotNode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void nodeCountCountsEveryNodeAndLeavesComeInTreeOrder() {
        LeafNode a = LeafNode.local("a", "eq", 1);
        LeafNode b = LeafNode.local("b", "is_null");
        LeafNode c = LeafNode.local("c", "gt", 2);
        FilterNode f = Filters.and(a, Filters.or(Filters.not(b), c));
        assertThat(f.nodeCount()).isEqualTo(6);
        assertThat(f.leaves()).containsExactly(a, b, c);
        assertThat(Filters.nodeCount(null)).isZero();
    }

    @Test
    void pointerIsProvenanceNotMeaning() {
        LeafNode typed = LeafNode.local("a", "eq", 1);
        LeafNode located = typed.withPointer("/filter/args/3");
        assertThat(located).isEqualTo(typed).hasSameHashCodeAs(typed);
        assertThat(located.pointerTo("/value/0")).isEqualTo("/filter/args/3/value/0");
    }

    @Test
    void allOfBuildsTheFlatConjunction() {
        LeafNode a = LeafNode.local("a", "eq", 1);
        LeafNode b = LeafNode.local("b", "eq", 2);
        assertThat(Filters.allOf(List.of())).isNull();
        assertThat(Filters.allOf(List.of(a))).isSameAs(a);
        assertThat(Filters.allOf(List.of(a, b))).isEqualTo(Filters.and(a, b));
    }

    @Test
    void errorCodesHaveWireSpellings() {
        assertThat(ValidationErrorCode.values()).hasSize(13);
        assertThat(ValidationErrorCode.VALUE_OUT_OF_BOUNDS.code()).isEqualTo("value_out_of_bounds");
        assertThat(ValidationErrorCode.fromCode("field_not_filterable")).isEqualTo(ValidationErrorCode.FIELD_NOT_FILTERABLE);
        assertThat(ValidationErrorCode.FIELD_UNKNOWN.isDecoderOwned()).isFalse();
    }
}

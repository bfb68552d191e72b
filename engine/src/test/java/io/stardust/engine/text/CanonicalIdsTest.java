package io.stardust.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "9", "10", "4096", "9223372036854775807"})
    void acceptsCanonicalPositiveIntegers(String text) {
        assertThat(CanonicalIds.tryParse(text)).hasValue(Long.parseLong(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "01", "+1", "-1", " 1", "1 ", "１", "1e3", "1.0", "0x1", "٣",
            "9223372036854775808", "99999999999999999999"})
    void rejectsEverythingElse(String text) {
        assertThat(CanonicalIds.tryParse(text)).isEmpty();
    }

    @Test
    void theErrorNamesTheValueAndTheText() {
        assertThatThrownBy(() -> CanonicalIds.parse("１", "tenant id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant id")
                .hasMessageContaining("'１'");
    }

    @Test
    void nullIsNotAnId() {
        assertThat(CanonicalIds.tryParse(null)).isEmpty();
    }
}

package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.engine.json.Json;
import io.stardust.engine.read.Cursors;
import io.stardust.engine.write.ValueCoercer;
import io.stardust.filter.Filters;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Rules that need no database: coercion, cursors, envelopes, config resolution. */
class PureRulesTest {

    private static JsonNode j(String json) throws Exception {
        return Json.parse(json);
    }

    private static Object coerce(DeclaredType t, String json) throws Exception {
        return ValueCoercer.coerce("f", t, j(json));
    }

    @Test
    void stringCoercion() throws Exception {
        assertThat(coerce(DeclaredType.STRING, "\"x\"")).isEqualTo("x");
        assertThat(coerce(DeclaredType.STRING, "42")).isEqualTo("42");
        assertThat(coerce(DeclaredType.STRING, "42.0")).isEqualTo("42");
        assertThat(coerce(DeclaredType.STRING, "0.1")).isEqualTo("0.1");
        assertThat(coerce(DeclaredType.STRING, "1e20")).isEqualTo("100000000000000000000");
        assertThat(coerce(DeclaredType.STRING, "true")).isEqualTo("1");
        assertThat(coerce(DeclaredType.STRING, "false")).isEqualTo("");
        assertThat(coerce(DeclaredType.STRING, "null")).isNull();
        assertThat(coerce(DeclaredType.STRING, "\"" + "é".repeat(4096) + "\"")).asString().hasSize(4096);
        assertThatThrownBy(() -> coerce(DeclaredType.STRING, "[1]")).isInstanceOf(UncoercibleSlotValueException.class);
        assertThatThrownBy(() -> coerce(DeclaredType.STRING, "\"" + "😀".repeat(4097) + "\""))
                .isInstanceOf(UncoercibleSlotValueException.class).hasMessageContaining("4097");
    }

    @Test
    void intCoercion() throws Exception {
        assertThat(coerce(DeclaredType.INT, "5")).isEqualTo(5L);
        assertThat(coerce(DeclaredType.INT, "5.0")).isEqualTo(5L);
        assertThat(coerce(DeclaredType.INT, "\"-12\"")).isEqualTo(-12L);
        assertThat(coerce(DeclaredType.INT, "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        for (String bad : List.of("5.5", "\"007\"", "\"-0\"", "\"+5\"", "\" 5\"", "\"9223372036854775808\"",
                "9223372036854775808", "true", "[1]", "\"abc\"")) {
            assertThatThrownBy(() -> coerce(DeclaredType.INT, bad)).as(bad).isInstanceOf(UncoercibleSlotValueException.class);
        }
    }

    @Test
    void numericCoercion() throws Exception {
        assertThat(coerce(DeclaredType.NUMERIC, "3")).isEqualTo(3.0);
        assertThat(coerce(DeclaredType.NUMERIC, "\" 1.5e2 \"")).isEqualTo(150.0);
        assertThat(coerce(DeclaredType.NUMERIC, "\".5\"")).isEqualTo(0.5);
        for (String bad : List.of("\"0x1A\"", "\"NaN\"", "\"INF\"", "\"1e999\"", "true", "{}", "\"\"")) {
            assertThatThrownBy(() -> coerce(DeclaredType.NUMERIC, bad)).as(bad).isInstanceOf(UncoercibleSlotValueException.class);
        }
    }

    @Test
    void datetimeCoercionIsStrictIsoAndNormalisesToUtc() throws Exception {
        assertThat(coerce(DeclaredType.DATETIME, "\"2026-01-15T08:00:00+05:00\"")).isEqualTo(LocalDateTime.of(2026, 1, 15, 3, 0));
        assertThat(coerce(DeclaredType.DATETIME, "\"2026-01-15 08:00:00\"")).isEqualTo(LocalDateTime.of(2026, 1, 15, 8, 0));
        assertThat(coerce(DeclaredType.DATETIME, "\"2026-01-15T08:00:00.999Z\"")).isEqualTo(LocalDateTime.of(2026, 1, 15, 8, 0));
        assertThat(coerce(DeclaredType.DATETIME, "\"2026-01-15\"")).isEqualTo(LocalDateTime.of(2026, 1, 15, 0, 0));
        for (String bad : List.of("\"now\"", "\"+1 day\"", "\"2024-02-30\"", "\"2024-13-01T00:00:00Z\"", "\"\"", "1700000000",
                "\"15/01/2026\"", "\"0999-12-31\"")) {
            assertThatThrownBy(() -> coerce(DeclaredType.DATETIME, bad)).as(bad).isInstanceOf(UncoercibleSlotValueException.class);
        }
    }

    @Test
    void numberClassificationFollowsInt64() throws Exception {
        assertThat(Json.isInteger(j("9223372036854775807"))).isTrue();
        assertThat(Json.isFloat(j("9223372036854775808"))).isTrue();
        assertThat(Json.isFloat(j("1.0"))).isTrue();
        assertThat(Json.isFloat(j("1e2"))).isTrue();
        assertThat(Json.formatDouble(-0.0)).isEqualTo("-0");
        assertThat(Json.formatDouble(1.5e-7)).isEqualTo("1.5E-7");
    }

    @Test
    void cursorsRoundTripOnlyForTheQueryTheyWereIssuedFor() {
        EntryQuery q = EntryQuery.all(1, 2).withFilter(Filters.leaf("name", "eq", "a"));
        assertThat(Cursors.decode(Cursors.encode(Long.MAX_VALUE, q), q)).isEqualTo(Long.MAX_VALUE);
        assertThat(Cursors.decode(Cursors.encode(42, q), q.withPageSize(7))).as("page size is not the query's identity").isEqualTo(42);
        for (EntryQuery other : List.of(EntryQuery.all(1, 2), EntryQuery.all(1, 3).withFilter(q.filter()),
                EntryQuery.all(9, 2).withFilter(q.filter()), q.withFilter(Filters.leaf("name", "eq", "b")))) {
            assertThatThrownBy(() -> Cursors.decode(Cursors.encode(42, q), other)).as(other.toString())
                    .isInstanceOf(InvalidCursorException.class).hasMessageContaining("issued for another model, filter or sort");
        }
        // v1 cursors of earlier versions (base64url of "v1:42") still decode, for any query
        assertThat(Cursors.decode("djE6NDI", q)).isEqualTo(42);
        // only the canonical spelling encode() writes: v1:0042, v1:+42 and v1:0 are refused
        for (String bad : List.of("!!!", "bm9wZQ", "djE6", "djE6YWJj", "djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5",
                "djE6MDA0Mg", "djE6KzQy", "djE6MA", "djI6NDI")) {
            assertThatThrownBy(() -> Cursors.decode(bad, q)).as(bad).isInstanceOf(InvalidCursorException.class)
                    .hasMessageStartingWith("Cursor decode failed");
        }
    }

    @Test
    void envelopeErrorsNameTheOffendingKey() {
        EntryPayload ok = EntryPayload.fromJson("  {\"tenantId\":0,\"modelId\":2,\"fields\":[],\"extra\":1}");
        assertThat(ok.tenantId()).isZero();
        assertThat(ok.fields().isEmpty()).isTrue();
        assertKey("{\"modelId\":2,\"fields\":{}}", "tenantId");
        assertKey("{\"tenantId\":7.5,\"modelId\":2,\"fields\":{}}", "tenantId");
        assertKey("{\"tenantId\":\"1\",\"modelId\":2,\"fields\":{}}", "tenantId");
        assertKey("{\"tenantId\":1,\"modelId\":null,\"fields\":{}}", "modelId");
        assertKey("{\"tenantId\":1,\"modelId\":2}", "fields");
        assertKey("{\"tenantId\":1,\"modelId\":2,\"fields\":[1]}", "fields");
        assertKey("[1]", null);
        assertKey("{\"tenantId\":", null);
        assertThatThrownBy(() -> EntryPayload.listFromJson("[{\"tenantId\":1,\"modelId\":1,\"fields\":{}}, 3]"))
                .isInstanceOfSatisfying(MalformedEntryPayloadException.class, e -> assertThat(e.key()).isEqualTo("[1]"));
        assertThatThrownBy(() -> EntryPayload.listFromJson("[{\"tenantId\":1,\"fields\":{}}]"))
                .isInstanceOfSatisfying(MalformedEntryPayloadException.class, e -> assertThat(e.key()).isEqualTo("[0].modelId"));
    }

    private static void assertKey(String json, String key) {
        assertThatThrownBy(() -> EntryPayload.fromJson(json)).as(json)
                .isInstanceOfSatisfying(MalformedEntryPayloadException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    @Test
    void configResolvesEnvironmentOverFileOverDefaultAndNamesBadValues() {
        ConfigOption<Integer> interval = ConfigOption.integer("watcherPollIntervalSeconds", 60, "poll interval").atLeast(0);
        ConfigOption<String> dir = ConfigOption.string("pidFileDir", "/tmp/x", "pid dir");
        assertThat(interval.envName()).isEqualTo("STARDUST_WATCHER_POLL_INTERVAL_SECONDS");
        assertThat(dir.envName()).isEqualTo("STARDUST_PID_FILE_DIR");
        ConfigDef def = ConfigDef.of(List.of(interval, dir));
        Properties file = new Properties();
        file.setProperty("watcherPollIntervalSeconds", "30");
        file.setProperty("pidFileDir", "/from/file");
        ConfigValues v = def.resolve(file, Map.of("STARDUST_PID_FILE_DIR", "/from/env"));
        assertThat(v.get(interval)).isEqualTo(30);
        assertThat(v.get(dir)).isEqualTo("/from/env");
        assertThat(def.resolve(new Properties(), Map.of()).get(interval)).isEqualTo(60);
        assertThatThrownBy(() -> def.resolve(new Properties(), Map.of("STARDUST_WATCHER_POLL_INTERVAL_SECONDS", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("STARDUST_WATCHER_POLL_INTERVAL_SECONDS")
                .hasMessageContaining("at least 0");
        Properties typo = new Properties();
        typo.setProperty("pidFileDri", "/x");
        assertThatThrownBy(() -> def.resolve(typo, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("pidFileDri");
        assertThat(def.markdownTable()).contains("`STARDUST_PID_FILE_DIR`");
    }

    @Test
    void lockNamespaceIsOptionalAndAnEmptyOneIsRefusedNamingTheVariable() {
        Properties connection = new Properties();
        connection.setProperty("dsn", "jdbc:mysql://127.0.0.1/x");
        connection.setProperty("user", "u");
        assertThat(StarDustConfig.from(StarDustConfig.definition().resolve(connection, Map.of())).lockNamespace()).isNull();
        assertThat(StarDustConfig.from(StarDustConfig.definition().resolve(connection,
                Map.of("STARDUST_LOCK_NAMESPACE", "prod-eu"))).lockNamespace()).isEqualTo("prod-eu");
        assertThatThrownBy(() -> StarDustConfig.definition().resolve(connection, Map.of("STARDUST_LOCK_NAMESPACE", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("STARDUST_LOCK_NAMESPACE")
                .hasMessageContaining("must not be empty");
    }
}

package io.stardust.connect.config;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigException;
import io.stardust.config.ConfigOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's one {@link ConfigDef}: the engine's options under {@code stardust.*} (adapted from
 * {@link StarDustConfig#OPTIONS}, so they are declared once, with the engine's docs and validators) followed by
 * the connector's own. Only {@code stardust.dsn}, {@code stardust.user} and {@code stardust.password} are
 * required. The README's reference table is {@link ConfigReference#markdown(ConfigDef)} of {@link #DEF}.
 */
public final class SinkConfig extends AbstractConfig {
    public static final String GROUP_CONNECTION = "Connection";
    public static final String GROUP_ENGINE = "Engine";
    public static final String GROUP_MAPPING = "Record mapping";
    public static final String GROUP_WRITE = "Writing";

    public static final String DSN = "stardust.dsn";
    public static final String USER = "stardust.user";
    public static final String PASSWORD = "stardust.password";
    public static final String TENANT_FIELD = "stardust.tenant.field";
    public static final String MODEL = "stardust.model";
    public static final String MODEL_FIELD = "stardust.model.field";
    public static final String KEY_FIELD = "stardust.key.field";
    public static final String MAX_RECORD_BYTES = "stardust.max.record.bytes";
    public static final String RETRY_BACKOFF_MIN = "stardust.retry.backoff.min.ms";
    public static final String RETRY_BACKOFF_MAX = "stardust.retry.backoff.max.ms";
    public static final String EVENTS_AFTER_IMAGE = "stardust.events.after.image";

    /** The engine options that make the connection: required, with no default (the engine's password defaults to ""). */
    private static final List<ConfigOption<?>> REQUIRED = List.of(StarDustConfig.DSN, StarDustConfig.USER, StarDustConfig.PASS);
    /**
     * The engine options a sink uses. The query-side ones (filter limits, the artifact directory) have no effect
     * on ingestion and are left out rather than declared for nothing.
     */
    static final List<ConfigOption<?>> ENGINE_OPTIONS = List.of(StarDustConfig.DSN, StarDustConfig.USER, StarDustConfig.PASS,
            StarDustConfig.POOL_SIZE, StarDustConfig.LOCK_NAMESPACE);

    public static final ConfigDef DEF = definition();

    public SinkConfig(Map<String, String> props) {
        super(DEF, props);
    }

    /** {@code stardust.} + the engine key in dotted lower case ({@code poolSize} → {@code stardust.pool.size}); {@code pass} → {@code stardust.password}. */
    public static String connectorKey(ConfigOption<?> engineOption) {
        if (engineOption == StarDustConfig.PASS) {
            return PASSWORD;
        }
        StringBuilder out = new StringBuilder("stardust.");
        for (char c : engineOption.key().toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('.').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        for (ConfigOption<?> o : ENGINE_OPTIONS) {
            boolean connection = REQUIRED.contains(o) || o == StarDustConfig.POOL_SIZE;
            Object dflt = REQUIRED.contains(o) ? ConfigDef.NO_DEFAULT_VALUE : o.defaultValue() == null ? null : String.valueOf(o.defaultValue());
            def.define(connectorKey(o), typeOf(o), dflt, engineValidator(o),
                    connection ? Importance.HIGH : Importance.LOW, o.doc(), connection ? GROUP_CONNECTION : GROUP_ENGINE,
                    ++order, Width.LONG, connectorKey(o));
        }
        order = 0;
        def.define(TENANT_FIELD, Type.STRING, "", Importance.MEDIUM,
                "Empty: each record value is a gateway entry envelope ({\"tenantId\", \"model\" or \"modelId\", \"key\","
                        + " \"fields\"}). Set: each value is a flat record, mapped to an envelope: this field holds the tenant id,"
                        + " the model comes from stardust.model or stardust.model.field, the key from stardust.key.field, and"
                        + " every other field is an entry field.", GROUP_MAPPING, ++order, Width.MEDIUM, TENANT_FIELD);
        def.define(MODEL, Type.STRING, "", Importance.MEDIUM,
                "Flat records: the model name of every record (exclusive with stardust.model.field).", GROUP_MAPPING, ++order,
                Width.MEDIUM, MODEL);
        def.define(MODEL_FIELD, Type.STRING, "", Importance.MEDIUM,
                "Flat records: the field holding each record's model name (exclusive with stardust.model).", GROUP_MAPPING,
                ++order, Width.MEDIUM, MODEL_FIELD);
        def.define(KEY_FIELD, Type.STRING, "", Importance.MEDIUM,
                "Flat records: the field holding the entry key (a string, or a number written as text); records are then"
                        + " upserts by key, and a record without it is quarantined. Empty: every record inserts a new entry.",
                GROUP_MAPPING, ++order, Width.MEDIUM, KEY_FIELD);
        order = 0;
        def.define(MAX_RECORD_BYTES, Type.INT, 1 << 20, ConfigDef.Range.atLeast(64), Importance.LOW,
                "Records whose key + value (as envelope JSON) exceed this many bytes are quarantined with reason too_large.",
                GROUP_WRITE, ++order, Width.SHORT, MAX_RECORD_BYTES);
        def.define(RETRY_BACKOFF_MIN, Type.LONG, 100L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "After MySQL is unavailable, the first wait (ms) before Connect hands the same records to the task again;"
                        + " it doubles per failure up to stardust.retry.backoff.max.ms.", GROUP_WRITE, ++order, Width.SHORT,
                RETRY_BACKOFF_MIN);
        def.define(RETRY_BACKOFF_MAX, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Longest wait (ms) between two attempts while MySQL is unavailable.", GROUP_WRITE, ++order, Width.SHORT,
                RETRY_BACKOFF_MAX);
        def.define(EVENTS_AFTER_IMAGE, Type.BOOLEAN, false, Importance.LOW,
                "Entry events written to the outbox carry the entry's fields after the change.", GROUP_WRITE, ++order,
                Width.SHORT, EVENTS_AFTER_IMAGE);
        return def;
    }

    private static Type typeOf(ConfigOption<?> o) {
        if (o.isSecret()) {
            return Type.PASSWORD;
        }
        Object d = o.defaultValue();
        return d instanceof Integer ? Type.INT : d instanceof Long ? Type.LONG : d instanceof Boolean ? Type.BOOLEAN : Type.STRING;
    }

    /** The engine option's own parser and validator, run on the connector's value. */
    private static ConfigDef.Validator engineValidator(ConfigOption<?> o) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                String raw = value instanceof Password p ? p.value() : value.toString();
                if (REQUIRED.contains(o) && o != StarDustConfig.PASS && raw.isBlank()) {
                    throw new org.apache.kafka.common.config.ConfigException(name, "(empty)", "must not be empty");
                }
                Properties one = new Properties();
                one.setProperty(o.key(), raw);
                try {
                    io.stardust.config.ConfigDef.of(List.of(o)).resolve(one, Map.of());
                } catch (ConfigException e) {
                    throw new org.apache.kafka.common.config.ConfigException(name, o.isSecret() ? "[hidden]" : raw, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "as the engine's " + o.key();
            }
        };
    }

    /** The engine's configuration from the {@code stardust.*} values. */
    public StarDustConfig engine() {
        Properties p = new Properties();
        for (ConfigOption<?> o : ENGINE_OPTIONS) {
            Object v = get(connectorKey(o));
            if (v != null) {
                p.setProperty(o.key(), v instanceof Password pw ? pw.value() : v.toString());
            }
        }
        return StarDustConfig.from(io.stardust.config.ConfigDef.of(StarDustConfig.OPTIONS).resolve(p, Map.of()));
    }

    /** How record values become envelopes. */
    public Mapping mapping() {
        return new Mapping(getString(TENANT_FIELD), getString(MODEL), getString(MODEL_FIELD), getString(KEY_FIELD));
    }

    public int maxRecordBytes() {
        return getInt(MAX_RECORD_BYTES);
    }

    public Duration backoffMin() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MIN));
    }

    public Duration backoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX));
    }

    public boolean eventsAfterImage() {
        return getBoolean(EVENTS_AFTER_IMAGE);
    }

    /**
     * Problems between options, per key (the per-option validators have run): Connect shows them on
     * {@code PUT /connector-plugins/.../config/validate} and refuses the connector.
     */
    public static Map<String, List<String>> crossFieldProblems(Map<String, String> props) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        String tenant = blankToEmpty(props.get(TENANT_FIELD));
        String model = blankToEmpty(props.get(MODEL));
        String modelField = blankToEmpty(props.get(MODEL_FIELD));
        String keyField = blankToEmpty(props.get(KEY_FIELD));
        if (!model.isEmpty() && !modelField.isEmpty()) {
            add(out, MODEL, "set either " + MODEL + " or " + MODEL_FIELD + ", not both");
        }
        if (tenant.isEmpty()) {
            for (String k : List.of(MODEL, MODEL_FIELD, KEY_FIELD)) {
                if (!blankToEmpty(props.get(k)).isEmpty()) {
                    add(out, k, k + " maps flat records and needs " + TENANT_FIELD + " (empty: values are gateway envelopes)");
                }
            }
        } else if (model.isEmpty() && modelField.isEmpty()) {
            add(out, TENANT_FIELD, "flat records need their model: set " + MODEL + " or " + MODEL_FIELD);
        }
        List<String> used = new ArrayList<>();
        for (String f : List.of(tenant, modelField, keyField)) {
            if (!f.isEmpty() && used.contains(f)) {
                add(out, TENANT_FIELD, "field '" + f + "' is mapped twice among " + TENANT_FIELD + ", " + MODEL_FIELD + ", " + KEY_FIELD);
            }
            used.add(f);
        }
        Long min = parseLong(props.get(RETRY_BACKOFF_MIN));
        Long max = parseLong(props.get(RETRY_BACKOFF_MAX));
        long effMin = min == null ? 100L : min;
        long effMax = max == null ? 10_000L : max;
        if (effMin > effMax) {
            add(out, RETRY_BACKOFF_MIN, RETRY_BACKOFF_MIN + " (" + effMin + ") must not exceed " + RETRY_BACKOFF_MAX + " (" + effMax + ")");
        }
        return out;
    }

    private static void add(Map<String, List<String>> out, String key, String problem) {
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(problem);
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.trim();
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null; // the option's own validator reports it
        }
    }

    /** How a record value maps to an envelope; all empty = values are envelopes already. */
    public record Mapping(String tenantField, String model, String modelField, String keyField) {
        public boolean flat() {
            return !tenantField.isEmpty();
        }

        @Override
        public String toString() {
            return flat() ? String.format(Locale.ROOT, "flat(tenant=%s, model=%s, modelField=%s, key=%s)", tenantField, model,
                    modelField, keyField) : "envelope";
        }
    }
}

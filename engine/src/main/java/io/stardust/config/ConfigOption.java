package io.stardust.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration option, declared once with its documentation, default and validator (after Debezium's
 * {@code Field}). The properties-file key is {@link #key()}; the environment variable is derived from it:
 * {@code STARDUST_} + the key in upper snake case ({@code pidFileDir} becomes {@code STARDUST_PID_FILE_DIR}).
 *
 * @param <T> the parsed type
 */
public final class ConfigOption<T> {

    /** Checks a parsed value; returns null when valid, else what is wrong with it. */
    @FunctionalInterface
    public interface Validator<T> {
        String problem(T value);
    }

    private final String key;
    private final String doc;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final Validator<T> validator;
    private final boolean secret;

    private ConfigOption(String key, String doc, T defaultValue, Function<String, T> parser, Validator<T> validator,
                         boolean secret) {
        this.key = Objects.requireNonNull(key);
        this.doc = Objects.requireNonNull(doc);
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.validator = validator;
        this.secret = secret;
    }

    public static ConfigOption<String> string(String key, String defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, s -> s, v -> null, false);
    }

    /** A string that is never printed in full (passwords). */
    public static ConfigOption<String> secret(String key, String defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, s -> s, v -> null, true);
    }

    public static ConfigOption<Integer> integer(String key, int defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, s -> Integer.valueOf(s.trim()), v -> null, false);
    }

    public static ConfigOption<Long> longInt(String key, long defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, s -> Long.valueOf(s.trim()), v -> null, false);
    }

    public static ConfigOption<Double> decimal(String key, double defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, s -> Double.valueOf(s.trim()), v -> null, false);
    }

    public static ConfigOption<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, ConfigOption::parseBoolean, v -> null, false);
    }

    /** A duration written as ISO-8601 ({@code PT5S}) or a number with a unit suffix: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}. */
    public static ConfigOption<Duration> duration(String key, Duration defaultValue, String doc) {
        return new ConfigOption<>(key, doc, defaultValue, Durations::parse, v -> null, false);
    }

    public ConfigOption<T> withValidator(Validator<T> newValidator) {
        return new ConfigOption<>(key, doc, defaultValue, parser, newValidator, secret);
    }

    /** Shorthand for numeric options that must be at least {@code min}. */
    public ConfigOption<T> atLeast(Number min) {
        return withValidator(v -> ((Number) v).doubleValue() < min.doubleValue() ? "must be at least " + min : null);
    }

    /** Shorthand for numeric options that must lie in {@code [min, max]}. */
    public ConfigOption<T> between(Number min, Number max) {
        return withValidator(v -> {
            double d = ((Number) v).doubleValue();
            return d < min.doubleValue() || d > max.doubleValue() ? "must be between " + min + " and " + max : null;
        });
    }

    public String key() {
        return key;
    }

    public String doc() {
        return doc;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean isSecret() {
        return secret;
    }

    /** {@code STARDUST_} + the key in upper snake case. */
    public String envName() {
        return envName(key);
    }

    static String envName(String key) {
        StringBuilder out = new StringBuilder("STARDUST_");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(key.charAt(i - 1))) {
                out.append('_');
            }
            out.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
        }
        return out.toString();
    }

    T parse(String raw, String source) {
        T value;
        try {
            value = parser.apply(raw);
        } catch (RuntimeException e) {
            throw new ConfigException(key, source, raw, "cannot be parsed: " + e.getMessage());
        }
        String problem = validator.problem(value);
        if (problem != null) {
            throw new ConfigException(key, source, raw, problem);
        }
        return value;
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    @Override
    public String toString() {
        return key;
    }
}

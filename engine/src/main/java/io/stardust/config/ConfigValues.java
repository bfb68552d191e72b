package io.stardust.config;

import java.util.Map;

/** Resolved, validated option values. */
public final class ConfigValues {
    private final Map<ConfigOption<?>, Object> values;

    ConfigValues(Map<ConfigOption<?>, Object> values) {
        this.values = Map.copyOf(values.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigOption<T> option) {
        return (T) values.getOrDefault(option, option.defaultValue());
    }

    /** The value, or a {@link ConfigException} naming the variable and key to set when it has none. */
    public <T> T require(ConfigOption<T> option) {
        T v = get(option);
        if (v == null || (v instanceof String s && s.isBlank())) {
            throw new ConfigException("missing required configuration: set " + option.envName()
                    + " or '" + option.key() + "' in the config file (" + option.doc() + ")");
        }
        return v;
    }
}

package io.stardust.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The set of options of one deployable. Resolves values from (lowest to highest precedence) defaults, a
 * properties file, and the environment; unknown keys in the file are an error, so typos never pass silently.
 * {@link #markdownTable()} renders the reference documentation from the same declarations.
 */
public final class ConfigDef {
    private final Map<String, ConfigOption<?>> options = new LinkedHashMap<>();

    private ConfigDef(Collection<ConfigOption<?>> options) {
        for (ConfigOption<?> o : options) {
            if (this.options.putIfAbsent(o.key(), o) != null) {
                throw new IllegalArgumentException("option declared twice: " + o.key());
            }
        }
    }

    public static ConfigDef of(Collection<? extends ConfigOption<?>> options) {
        return new ConfigDef(List.copyOf(options));
    }

    @SafeVarargs
    public static ConfigDef of(List<? extends ConfigOption<?>>... groups) {
        List<ConfigOption<?>> all = new ArrayList<>();
        for (List<? extends ConfigOption<?>> g : groups) {
            all.addAll(g);
        }
        return new ConfigDef(all);
    }

    public Collection<ConfigOption<?>> options() {
        return Collections.unmodifiableCollection(options.values());
    }

    /** Resolves from an optional properties file and the process environment. */
    public ConfigValues resolve(Path propertiesFile) {
        return resolve(load(propertiesFile), System.getenv());
    }

    public ConfigValues resolve(Properties file, Map<String, String> env) {
        for (String name : file.stringPropertyNames()) {
            if (!options.containsKey(name)) {
                throw new ConfigException("unknown configuration key '" + name + "' in the config file; known keys: "
                        + String.join(", ", options.keySet()));
            }
        }
        Map<ConfigOption<?>, Object> values = new LinkedHashMap<>();
        for (ConfigOption<?> o : options.values()) {
            String fromEnv = env.get(o.envName());
            String fromFile = file.getProperty(o.key());
            if (fromEnv != null) {
                values.put(o, o.parse(fromEnv, "environment " + o.envName()));
            } else if (fromFile != null) {
                values.put(o, o.parse(fromFile, "config file key " + o.key()));
            } else {
                values.put(o, o.defaultValue());
            }
        }
        return new ConfigValues(values);
    }

    public static Properties load(Path file) {
        Properties p = new Properties();
        if (file == null) {
            return p;
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** Reference table: key, environment variable, default, description. */
    public String markdownTable() {
        StringBuilder out = new StringBuilder("| key | environment | default | description |\n|---|---|---|---|\n");
        for (ConfigOption<?> o : options.values()) {
            Object d = o.defaultValue();
            out.append("| `").append(o.key()).append("` | `").append(o.envName()).append("` | ")
                    .append(d == null ? "(none)" : "`" + d + "`").append(" | ").append(o.doc()).append(" |\n");
        }
        return out.toString();
    }
}

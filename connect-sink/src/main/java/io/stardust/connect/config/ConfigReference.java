package io.stardust.connect.config;

import org.apache.kafka.common.config.ConfigDef;

/** The README's configuration reference, rendered from the {@link ConfigDef} itself so the two cannot drift. */
public final class ConfigReference {
    private ConfigReference() {
    }

    /** One table per group, in declaration order: key, type, default, valid values, importance, description. */
    public static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        for (String group : def.groups()) {
            out.append("#### ").append(group).append("\n\n| key | type | default | valid values | importance | description |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey k : def.configKeys().values()) {
                if (!group.equals(k.group)) {
                    continue;
                }
                String dflt = !k.hasDefault() ? "(required)" : k.defaultValue == null ? "(none)"
                        : "`" + ConfigDef.convertToString(k.defaultValue, k.type) + "`";
                if (k.hasDefault() && "``".equals(dflt)) {
                    dflt = "\"\"";
                }
                String valid = k.validator == null ? "" : k.validator.toString();
                out.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(java.util.Locale.ROOT))
                        .append(" | ").append(dflt).append(" | ").append(valid).append(" | ")
                        .append(k.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(k.documentation.replace("|", "\\|")).append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }
}

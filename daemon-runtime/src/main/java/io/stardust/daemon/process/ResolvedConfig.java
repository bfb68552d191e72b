package io.stardust.daemon.process;

import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved configuration of a process as it is logged ({@code config_resolved}): every option of its
 * definition, in declaration order, with secrets masked. Masked are: options declared secret; options whose key
 * names a password, secret, token or credential (so a future option cannot leak by forgetting the flag); and,
 * inside any value, the password of a URL's user-info ({@code //user:pass@host}) and query or property parameters
 * named like a password ({@code password=…}, {@code pass=…}, {@code pwd=…}).
 */
public final class ResolvedConfig {
    public static final String MASK = "****";

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(pass|secret|token|credential).*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?#\\s]*:)[^@/?#\\s]*@");
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:^|[?&;,\\s])(?:password|passwd|pass|pwd|secret)\\s*=\\s*)[^&;,\\s]*");

    private ResolvedConfig() {
    }

    /** Option key → resolved value as text ({@code null} when unset), secrets masked. */
    public static Map<String, String> masked(ConfigDef definition, ConfigValues values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigOption<?> option : definition.options()) {
            Object value = values.get(option);
            out.put(option.key(), value == null ? null : mask(option, String.valueOf(value)));
        }
        return out;
    }

    static String mask(ConfigOption<?> option, String value) {
        if (option.isSecret() || SECRET_KEY.matcher(option.key()).matches()) {
            return value.isEmpty() ? "" : MASK;
        }
        return maskCredentials(value);
    }

    /** {@code value} with the credentials of any URL or parameter list in it masked. */
    public static String maskCredentials(String value) {
        String out = USER_INFO_PASSWORD.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        return PASSWORD_PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
}

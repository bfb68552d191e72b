package io.stardust.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The benchmarks' command line: {@code --key=value} options only, each one of a known set. */
public final class Args {
    private Args() {
    }

    /** Option name (without {@code --}) → value; a malformed or unknown option is an {@link IllegalArgumentException}. */
    public static Map<String, String> parse(String[] args, Set<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !kv[0].startsWith("--")) {
                throw new IllegalArgumentException("expected --key=value, got " + a);
            }
            String key = kv[0].substring(2);
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: " + known + ")");
            }
            options.put(key, kv[1]);
        }
        return options;
    }

    /** A positive count; {@code _} separators allowed ({@code 200_000}). */
    public static long positive(Map<String, String> options, String key, long fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, got " + v, e);
        }
        if (n < 1) {
            throw new IllegalArgumentException("--" + key + " must be positive, got " + v);
        }
        return n;
    }
}

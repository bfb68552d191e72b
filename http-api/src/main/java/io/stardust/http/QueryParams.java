package io.stardust.http;

import io.stardust.daemon.http.HttpError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The query string of a request, decoded; the first occurrence of a repeated key wins. */
record QueryParams(Map<String, String> values) {
    QueryParams {
        values = Map.copyOf(values);
    }

    static QueryParams parse(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                out.putIfAbsent(key, value);
            }
        }
        return new QueryParams(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("bad_query", "malformed percent-encoding in the query string");
        }
    }

    String get(String key) {
        return values.get(key);
    }

    /** {@code select=a,b}: the fields to return in that order; absent means every registered field. */
    List<String> select() {
        String v = values.get("select");
        if (v == null) {
            return null;
        }
        return Arrays.stream(v.split(",", -1)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

package io.stardust.engine.access;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API key may do: {@code read} (get, list, search, describe), {@code write} (entries), {@code export}, {@code admin} (models). */
public enum ApiKeyScope {
    READ, WRITE, EXPORT, ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses one scope name; the error names the accepted ones. */
    public static ApiKeyScope parse(String s) {
        for (ApiKeyScope scope : values()) {
            if (scope.wireName().equals(s == null ? null : s.trim())) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + s + "' (expected read, write, export or admin)");
    }

    /** Parses a comma-separated list ({@code read,write}); empty or blank is an error. */
    public static Set<ApiKeyScope> parseList(String csv) {
        if (csv == null || csv.isBlank()) {
            throw new IllegalArgumentException("scopes must name at least one of read, write, export, admin");
        }
        Set<ApiKeyScope> out = EnumSet.noneOf(ApiKeyScope.class);
        for (String part : csv.split(",", -1)) {
            out.add(parse(part));
        }
        return out;
    }

    /** The stored form: wire names, comma-separated, in declaration order. */
    public static String format(Set<ApiKeyScope> scopes) {
        return scopes.stream().sorted().map(ApiKeyScope::wireName).collect(Collectors.joining(","));
    }
}

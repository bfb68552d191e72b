package io.stardust.http;

import io.stardust.EntryQuery;
import io.stardust.PageSizeOutOfRangeException;
import io.stardust.daemon.http.HttpError;
import io.stardust.engine.text.CanonicalIds;

/**
 * Ids and page sizes from paths and query strings, read with {@link CanonicalIds} only: {@code +1}, {@code 01} or a
 * fullwidth {@code １} would otherwise name the same tenant or size as {@code 1}. Every error names the parameter.
 */
final class NumericParams {
    private NumericParams() {
    }

    /** A tenant id; {@code 0} and negative integers are the documented {@code invalid_tenant}. */
    static long tenant(String raw) {
        if (belowOne(raw)) {
            throw HttpError.badRequest("invalid_tenant", "tenant id must be at least 1, got " + raw);
        }
        return canonical(raw, "tenant id");
    }

    static long entryId(String raw) {
        return canonical(raw, "entry id");
    }

    /** {@code pageSize}, or the default when absent; a number outside 1..1000 is {@code page_size_out_of_range}. */
    static int pageSize(String raw) {
        if (raw == null) {
            return EntryQuery.DEFAULT_PAGE_SIZE;
        }
        if (belowOne(raw) || canonical(raw, "pageSize") > EntryQuery.MAX_PAGE_SIZE) {
            throw new PageSizeOutOfRangeException("pageSize must be between 1 and " + EntryQuery.MAX_PAGE_SIZE
                    + ", got " + raw);
        }
        return (int) canonical(raw, "pageSize");
    }

    /** {@code 0} or a canonical negative integer: a well-formed number, just out of range. */
    private static boolean belowOne(String raw) {
        return raw.equals("0") || (raw.startsWith("-") && CanonicalIds.tryParse(raw.substring(1)).isPresent());
    }

    static long canonical(String raw, String what) {
        try {
            return CanonicalIds.parse(raw, what);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("bad_parameter", e.getMessage());
        }
    }
}

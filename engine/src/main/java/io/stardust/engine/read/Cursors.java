package io.stardust.engine.read;

import io.stardust.InvalidCursorException;
import io.stardust.engine.text.CanonicalIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * The opaque pagination cursor: base64url without padding of {@code v1:<last entry id>}, the id
 * written canonically ({@link CanonicalIds}). Opaque by contract, not signed: a forged cursor only moves the
 * caller's own window, since every query is tenant-scoped.
 */
public final class Cursors {
    private static final String PREFIX = "v1:";

    private Cursors() {
    }

    public static String encode(long lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    public static long decode(String cursor) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw fail("not a valid base64url payload");
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (!text.startsWith(PREFIX)) {
            throw fail("missing version prefix");
        }
        // Only what encode() writes: a second spelling of one position (v1:042) is refused like any other forgery.
        OptionalLong id = CanonicalIds.tryParse(text.substring(PREFIX.length()));
        if (id.isEmpty()) {
            throw fail("malformed entry id payload (expected [1-9][0-9]* within int64)");
        }
        return id.getAsLong();
    }

    private static InvalidCursorException fail(String why) {
        return new InvalidCursorException("Cursor decode failed: " + why);
    }
}

package io.stardust.engine.read;

import io.stardust.EntryQuery;
import io.stardust.InvalidCursorException;
import io.stardust.engine.text.CanonicalIds;
import io.stardust.filter.JsonFilterEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * The opaque pagination cursor: base64url without padding of {@code v2:<last entry id>:<scope>}, the id written
 * canonically ({@link CanonicalIds}) and the scope a digest of what the page was a page of: tenant, model, sort key
 * and direction, and the filter's wire form. The cursor holds the last entry's id, not its sort value: the next page
 * reads that entry's current value (so an entry whose sort value changes between pages can move across the
 * boundary, as in upstream). A cursor presented with
 * another model, filter or sort is refused ({@link InvalidCursorException}) instead of silently moving a window of
 * a different query. Opaque by contract, not signed: a forged cursor only moves the caller's own window, since every
 * query is tenant-scoped.
 *
 * <p>{@code v1:<id>} cursors (issued by earlier versions, which did not bind the query) still decode, for any query.
 */
public final class Cursors {
    private static final String V1 = "v1:";
    private static final String V2 = "v2:";

    private Cursors() {
    }

    /** The cursor that continues {@code query} after {@code lastId}. */
    public static String encode(long lastId, EntryQuery query) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((V2 + lastId + ":" + scope(query)).getBytes(StandardCharsets.US_ASCII));
    }

    /** The last id of the page {@code cursor} continues; refused when the cursor was issued for another query. */
    public static long decode(String cursor, EntryQuery query) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw fail("not a valid base64url payload");
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String idText;
        if (text.startsWith(V1)) {
            idText = text.substring(V1.length());
        } else if (text.startsWith(V2)) {
            int colon = text.indexOf(':', V2.length());
            if (colon < 0) {
                throw fail("missing query scope");
            }
            idText = text.substring(V2.length(), colon);
            if (!text.substring(colon + 1).equals(scope(query))) {
                throw fail("the cursor was issued for another model, filter or sort; start again without a cursor");
            }
        } else {
            throw fail("missing version prefix");
        }
        // Only what encode() writes: a second spelling of one position (v2:042:…) is refused like any other forgery.
        OptionalLong id = CanonicalIds.tryParse(idText);
        if (id.isEmpty()) {
            throw fail("malformed entry id payload (expected [1-9][0-9]* within int64)");
        }
        return id.getAsLong();
    }

    /** 16 base64url characters (96 bits) of SHA-256 over the query's identity; the page size is not part of it. */
    static String scope(EntryQuery q) {
        String identity = q.tenantId() + "\n" + q.modelId() + "\n" + q.sort() + "\n"
                + (q.filter() == null ? "" : JsonFilterEncoder.toWireText(q.filter()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static InvalidCursorException fail(String why) {
        return new InvalidCursorException("Cursor decode failed: " + why);
    }
}

package io.stardust.http;

/**
 * One byte range of a {@code Range} header against a file of known size (RFC 9110 §14): {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. Only single ranges are served; a header that is not one of these forms (or
 * asks for several ranges) is ignored and the whole file is sent, as the RFC allows.
 *
 * @param first first byte offset, inclusive
 * @param last  last byte offset, inclusive
 */
record ByteRange(long first, long last) {
    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The outcome of reading a {@code Range} header. */
    sealed interface Parsed permits Whole, Partial, Unsatisfiable {
    }

    /** No usable range: send the whole file (200). */
    record Whole() implements Parsed {
    }

    /** 206 with this range. */
    record Partial(ByteRange range) implements Parsed {
    }

    /** 416: a well-formed range that selects no byte of the file. */
    record Unsatisfiable() implements Parsed {
    }

    static Parsed parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Long a = digits(spec.substring(0, dash));
        Long b = digits(spec.substring(dash + 1));
        if (dash == 0) { // suffix: the last n bytes
            if (b == null) {
                return new Whole();
            }
            if (b == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, size - b), size - 1));
        }
        if (a == null || (dash < spec.length() - 1 && b == null) || (b != null && b < a)) {
            return new Whole(); // malformed (or last before first): ignored
        }
        if (a >= size) {
            return new Unsatisfiable();
        }
        long last = b == null ? size - 1 : Math.min(b, size - 1);
        return new Partial(new ByteRange(a, last));
    }

    /** ASCII digits only, within 64 bits; null otherwise. */
    private static Long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }
}

package io.stardust.filter;

/** RFC 6901 pointer building: the root is {@code ""}; each segment is escaped {@code ~}→{@code ~0}, {@code /}→{@code ~1}. */
final class JsonPointers {
    static final String ROOT = "";

    private JsonPointers() {
    }

    static String child(String parent, String segment) {
        // Order matters: escaping '~' first keeps the '~1' produced for '/' intact.
        return parent + "/" + segment.replace("~", "~0").replace("/", "~1");
    }

    static String child(String parent, int index) {
        return parent + "/" + index;
    }
}

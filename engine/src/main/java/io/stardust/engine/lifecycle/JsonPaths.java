package io.stardust.engine.lifecycle;

/** MySQL JSON paths for one top-level key, quoted so that any key (dots, spaces, quotes) is addressed literally. */
final class JsonPaths {
    private JsonPaths() {
    }

    static String key(String name) {
        return "$.\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

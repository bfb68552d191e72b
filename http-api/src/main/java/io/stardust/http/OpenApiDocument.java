package io.stardust.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The API's OpenAPI 3.1 description, {@code openapi.json} on the class path (kept in the repository). */
final class OpenApiDocument {
    static final String RESOURCE = "/io/stardust/http/openapi.json";

    private final String json;

    private OpenApiDocument(String json) {
        this.json = json;
    }

    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new OpenApiDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String json() {
        return json;
    }
}

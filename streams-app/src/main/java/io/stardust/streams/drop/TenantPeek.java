package io.stardust.streams.drop;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * The top-level {@code tenantId} of an NDJSON line, to key its record by tenant, read with a streaming parser that
 * stops as soon as it has it. Anything unexpected gives empty: validating the line is the topology's job.
 */
final class TenantPeek {
    private static final JsonFactory JSON = new JsonFactory();

    private TenantPeek() {
    }

    static Optional<String> of(byte[] line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("tenantId".equals(name)) {
                    return v == JsonToken.VALUE_NUMBER_INT ? Optional.of(p.getText()) : Optional.empty();
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

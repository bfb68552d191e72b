package io.stardust.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.daemon.http.HttpError;
import io.stardust.engine.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies as JSON, parsed with the engine's one JSON configuration: bytes that are not UTF-8, text that
 * is not JSON, an empty body and a document that is not an object are 400 {@code malformed_json}, with where.
 */
final class JsonBodies {
    private JsonBodies() {
    }

    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest("malformed_json", what + " is not valid UTF-8");
        }
    }

    /** The parsed document; {@link com.fasterxml.jackson.core.exc.StreamConstraintsException} passes through. */
    static JsonNode parse(String text, String what) throws com.fasterxml.jackson.core.exc.StreamConstraintsException {
        JsonNode parsed;
        try {
            parsed = Json.parse(text);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw HttpError.badRequest("malformed_json", what + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw HttpError.badRequest("malformed_json", what + " is empty; send a JSON document");
        }
        return parsed;
    }

    /** A body that must be one JSON object. */
    static ObjectNode object(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = parse(utf8(bytes, what), what);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw HttpError.badRequest("malformed_json", what + " exceeds a JSON limit: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw HttpError.badRequest("malformed_json", what + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A required string member of a request object. */
    static String text(ObjectNode body, String member) {
        JsonNode v = body.get(member);
        if (v == null || !v.isTextual()) {
            throw HttpError.badRequest("bad_request_body", "'" + member + "' must be a string");
        }
        return v.asText();
    }
}

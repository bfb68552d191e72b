package io.stardust.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.engine.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JDK HTTP client bound to one server and one API key (null: no Authorization header). */
final class ApiClient {
    /** An answer: status, raw body, its JSON (null when not JSON) and the response for headers. */
    record Res(int status, String text, JsonNode body, HttpResponse<String> response) {
        String error() {
            return body == null || body.get("error") == null ? null : body.get("error").asText();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    ApiClient(String base, String key) {
        this.base = base;
        this.key = key;
    }

    ApiClient withKey(String otherKey) {
        return new ApiClient(base, otherKey);
    }

    Res get(String path) throws Exception {
        return send(request(path).GET());
    }

    Res delete(String path) throws Exception {
        return send(request(path).DELETE());
    }

    Res post(String path, String body) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Res put(String path, String body) throws Exception {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Res send(String method, String path, String body) throws Exception {
        return send(request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    Res send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            json = Json.parse(r.body());
        }
        return new Res(r.statusCode(), r.body(), json, r);
    }
}

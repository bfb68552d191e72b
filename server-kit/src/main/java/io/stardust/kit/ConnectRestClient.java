package io.stardust.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The few calls of the Kafka Connect REST API that {@link EmbeddedConnect} offers, over the JDK HTTP client. */
final class ConnectRestClient {
    /** Connect's own REST timeout for synchronous operations (creating a connector validates its config) is 90 s. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(100);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    ConnectRestClient(URI base) {
        this.base = base;
    }

    List<String> connectors() {
        List<String> names = new ArrayList<>();
        send("GET", "/connectors", null).forEach(n -> names.add(n.asText()));
        return names;
    }

    List<String> connectorPluginClasses() {
        List<String> classes = new ArrayList<>();
        send("GET", "/connector-plugins", null).forEach(n -> classes.add(n.path("class").asText()));
        return classes;
    }

    void create(String name, Map<String, String> config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        send("POST", "/connectors", body);
    }

    void delete(String name) {
        send("DELETE", "/connectors/" + encode(name), null);
    }

    void stop(String name) {
        send("PUT", "/connectors/" + encode(name) + "/stop", null);
    }

    void resume(String name) {
        send("PUT", "/connectors/" + encode(name) + "/resume", null);
    }

    void resetOffsets(String name) {
        send("DELETE", "/connectors/" + encode(name) + "/offsets", null);
    }

    void alterSinkOffset(String name, String topic, int partition, long offset) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("partition", Map.of("kafka_topic", topic, "kafka_partition", partition));
        entry.put("offset", Map.of("kafka_offset", offset));
        send("PATCH", "/connectors/" + encode(name) + "/offsets", Map.of("offsets", List.of(entry)));
    }

    ConnectorStatus status(String name) {
        JsonNode s = send("GET", "/connectors/" + encode(name) + "/status", null);
        List<ConnectorStatus.Task> tasks = new ArrayList<>();
        s.path("tasks").forEach(t -> tasks.add(new ConnectorStatus.Task(t.path("id").asInt(), t.path("state").asText(),
                textOrNull(t.path("trace")))));
        JsonNode c = s.path("connector");
        return new ConnectorStatus(s.path("name").asText(name), c.path("state").asText(), textOrNull(c.path("trace")), tasks);
    }

    /** Whether a request to {@code GET /connectors} succeeds now (the worker's herder has started). */
    boolean answers() {
        try {
            connectors();
            return true;
        } catch (ConnectRestException | UncheckedIOException e) {
            return false;
        }
    }

    private JsonNode send(String method, String path, Object body) {
        String request = method + " " + base + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the Connect worker: " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request, e);
        }
        if (response.statusCode() >= 300) {
            throw new ConnectRestException(request, response.statusCode(), errorMessage(response.body()));
        }
        return response.body().isBlank() ? json.missingNode() : read(response.body(), request);
    }

    private String errorMessage(String body) {
        try {
            JsonNode message = json.readTree(body).path("message");
            return message.isTextual() ? message.asText() : body;
        } catch (JsonProcessingException e) {
            return body;
        }
    }

    private JsonNode read(String body, String request) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(request + " answered with something that is not JSON: " + body, e);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + body, e);
        }
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

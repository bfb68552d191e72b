package io.stardust.http;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import io.stardust.daemon.http.HttpEndpointOptions;
import io.stardust.daemon.process.ProcessSettings;
import io.stardust.engine.export.ExportOptions;
import io.stardust.registry.events.RegistryChanges;
import io.stardust.streams.StreamsAppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API's settings: the engine's options plus its own. Environment variables are {@code STARDUST_} + the key
 * in upper snake case. The README's table is {@link #definition()}'s {@code markdownTable()}.
 */
public record HttpConfig(StarDustConfig engine, String bindAddress, int port, int threads, int maxConnections,
                         Duration idleTimeout, Duration requestReadTimeout, Duration responseTimeout,
                         Duration shutdownTimeout, RegistryFollow registry, Limits limits,
                         Integer statusPort, ImportTopics imports) {

    /** The streams app's topics the imports routes read, on the broker of {@code kafkaBootstrap}. */
    public record ImportTopics(String progressTopic, String statusTopic) {
    }

    /**
     * What one request may ask for: JSON bodies (entries, definitions, operations; also each line of a bulk body)
     * up to {@code maxBodyBytes}, a bulk body up to {@code bulkMaxBytes} holding at most {@code bulkMaxEntries}
     * entries, and {@code ratePerKey} requests a second per API key (0: no limit).
     */
    public record Limits(int maxBodyBytes, long bulkMaxBytes, int bulkMaxEntries, int ratePerKey) {
    }

    /**
     * Where the registry topic is: {@code kafkaBootstrap} null means the caches are not fed from the topic and
     * every read probes {@code stardust_schema_version}.
     */
    public record RegistryFollow(String kafkaBootstrap, String topic, Duration healthCheck) {
        public boolean enabled() {
            return kafkaBootstrap != null && !kafkaBootstrap.isBlank();
        }
    }

    public static final ConfigOption<Integer> HTTP_PORT = ConfigOption.integer("httpPort", 8080,
            "Port the HTTP API listens on; 0 = any free port.").between(0, 65_535);
    public static final ConfigOption<String> HTTP_BIND_ADDRESS = ConfigOption.string("httpBindAddress",
            HttpEndpointOptions.LOOPBACK,
            "Address the HTTP API binds to. Loopback by default; every /v1 request needs an API key wherever it binds.");
    public static final ConfigOption<Integer> HTTP_THREADS = ConfigOption.integer("httpThreads",
            HttpEndpointOptions.DEFAULT_THREADS,
            "Worker threads serving requests (each may hold one pooled connection while it runs); a client whose"
                    + " request headers are still arriving holds none.").between(1, 512);
    public static final ConfigOption<Integer> HTTP_MAX_CONNECTIONS = ConfigOption.integer("httpMaxConnections",
            HttpEndpointOptions.DEFAULT_MAX_CONNECTIONS,
            "Open client connections at most; further clients wait in the accept queue until one closes.")
            .between(1, 100_000);
    public static final ConfigOption<Duration> HTTP_IDLE_TIMEOUT = positive(ConfigOption.duration("httpIdleTimeout",
            HttpEndpointOptions.DEFAULT_IDLE_TIMEOUT,
            "A connection without any traffic for this long is closed (stalled reads and writes included)."));
    public static final ConfigOption<Duration> HTTP_REQUEST_READ_TIMEOUT = positive(ConfigOption.duration(
            "httpRequestReadTimeout", HttpEndpointOptions.DEFAULT_REQUEST_READ_TIMEOUT,
            "A request's headers must arrive within this of the connection opening (or of the previous response on a"
                    + " kept-alive connection), else the connection is closed; its body within this of its headers,"
                    + " else 408."));
    public static final ConfigOption<Duration> HTTP_RESPONSE_TIMEOUT = positive(ConfigOption.duration(
            "httpResponseTimeout", HttpEndpointOptions.DEFAULT_RESPONSE_TIMEOUT,
            "A request not answered within this of its headers arriving gets 503 timeout."));
    public static final ConfigOption<Duration> HTTP_SHUTDOWN_TIMEOUT = ConfigOption.duration("httpShutdownTimeout",
            HttpEndpointOptions.DEFAULT_STOP_TIMEOUT,
            "After SIGTERM/SIGINT or the shutdown flag file <pidFileDir>/serve.shutdown, how long requests in flight "
                    + "may take to finish; an idle server stops at once, one not stopped 5 s after this exits 1.")
            .withValidator(d -> d.isNegative() ? "must not be negative" : null);

    public static final ConfigOption<Integer> HTTP_STATUS_PORT = ConfigOption.integer("httpStatusPort", -1,
            "Port of GET /health and GET /metrics (no key needed) when they should not be on httpPort; -1 = on"
                    + " httpPort, 0 = any free port.").between(-1, 65_535);
    public static final ConfigOption<Integer> HTTP_MAX_BODY_BYTES = ConfigOption.integer("httpMaxBodyBytes", 1 << 20,
            "Largest JSON request body (an entry, a model definition, an operation) and largest line of a bulk body,"
                    + " in bytes; above it 413 payload_too_large. Search bodies have queryFilterMaxPayloadBytes.")
            .between(1024, 64 << 20);
    public static final ConfigOption<Long> HTTP_BULK_MAX_BYTES = ConfigOption.longInt("httpBulkMaxBytes", 64L << 20,
            "Largest bulk NDJSON body, in bytes; it is read as it arrives, so this bounds time, not memory.")
            .between(1024L, 1L << 40);
    public static final ConfigOption<Integer> HTTP_BULK_MAX_ENTRIES = ConfigOption.integer("httpBulkMaxEntries", 10_000,
            "Most entries (non-blank lines) one bulk body may hold; the line after the last allowed one is refused with"
                    + " 413 (the lines before it are written).").between(1, 1_000_000);
    public static final ConfigOption<Integer> HTTP_RATE_LIMIT_PER_KEY = ConfigOption.integer("httpRateLimitPerKey", 100,
            "Requests a second one API key may make on average (bursts up to the same number); beyond it 429"
                    + " rate_limited with Retry-After. 0 = no limit.").between(0, 1_000_000);

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = ConfigOption.string("kafkaBootstrap", null,
            "Kafka bootstrap servers (host:port,...) of the registry and import topics. Set: the schema caches follow the"
                    + " registry topic (no read probes stardust_schema_version while it is available) and GET"
                    + " /v1/tenants/{tenant}/imports reads the import topics. Unset: every read probes it and the imports"
                    + " routes answer 503 imports_unavailable.");
    public static final ConfigOption<String> REGISTRY_TOPIC = ConfigOption.string("registryMirrorTopic",
            "stardust.registry", "The registry mirror's topic the caches follow (the same key as the mirror's).");
    public static final ConfigOption<Duration> REGISTRY_HEALTH_CHECK = positive(ConfigOption.duration(
            "registryFollowHealthCheck", RegistryChanges.DEFAULT_HEALTH_CHECK,
            "How often the followed registry topic is checked, and how long a broker call may take; the caches fall"
                    + " back to the version probe within about twice this of the topic becoming unavailable."));

    public static final List<ConfigOption<?>> OPTIONS = List.of(HTTP_PORT, HTTP_BIND_ADDRESS, HTTP_THREADS,
            HTTP_MAX_CONNECTIONS, HTTP_IDLE_TIMEOUT, HTTP_REQUEST_READ_TIMEOUT, HTTP_RESPONSE_TIMEOUT,
            HTTP_SHUTDOWN_TIMEOUT, HTTP_STATUS_PORT, HTTP_MAX_BODY_BYTES, HTTP_BULK_MAX_BYTES, HTTP_BULK_MAX_ENTRIES, HTTP_RATE_LIMIT_PER_KEY,
            KAFKA_BOOTSTRAP, REGISTRY_TOPIC, REGISTRY_HEALTH_CHECK, StreamsAppConfig.PROGRESS_TOPIC,
            StreamsAppConfig.STATUS_TOPIC);

    /** Engine options (connection, pool, filter limits), the export cap, the HTTP API's, then the flag file's directory. */
    public static ConfigDef definition() {
        List<ConfigOption<?>> all = new ArrayList<>(StarDustConfig.OPTIONS);
        all.addAll(ExportOptions.OPTIONS);
        all.addAll(OPTIONS);
        all.add(ProcessSettings.PID_FILE_DIR);
        return ConfigDef.of(all);
    }

    public static HttpConfig from(ConfigValues v) {
        return new HttpConfig(StarDustConfig.from(v), v.require(HTTP_BIND_ADDRESS), v.get(HTTP_PORT), v.get(HTTP_THREADS),
                v.get(HTTP_MAX_CONNECTIONS), v.get(HTTP_IDLE_TIMEOUT), v.get(HTTP_REQUEST_READ_TIMEOUT),
                v.get(HTTP_RESPONSE_TIMEOUT), v.get(HTTP_SHUTDOWN_TIMEOUT),
                new RegistryFollow(v.get(KAFKA_BOOTSTRAP), v.require(REGISTRY_TOPIC), v.get(REGISTRY_HEALTH_CHECK)),
                new Limits(v.get(HTTP_MAX_BODY_BYTES), v.get(HTTP_BULK_MAX_BYTES), v.get(HTTP_BULK_MAX_ENTRIES),
                        v.get(HTTP_RATE_LIMIT_PER_KEY)), v.get(HTTP_STATUS_PORT) < 0 ? null : v.get(HTTP_STATUS_PORT),
                new ImportTopics(v.require(StreamsAppConfig.PROGRESS_TOPIC), v.require(StreamsAppConfig.STATUS_TOPIC)));
    }

    /** The engine config with the HTTP defaults, for embedding and tests. */
    public static HttpConfig of(StarDustConfig engine, int port) {
        return new HttpConfig(engine, HTTP_BIND_ADDRESS.defaultValue(), port, HTTP_THREADS.defaultValue(),
                HTTP_MAX_CONNECTIONS.defaultValue(), HTTP_IDLE_TIMEOUT.defaultValue(),
                HTTP_REQUEST_READ_TIMEOUT.defaultValue(), HTTP_RESPONSE_TIMEOUT.defaultValue(),
                HTTP_SHUTDOWN_TIMEOUT.defaultValue(), new RegistryFollow(null, REGISTRY_TOPIC.defaultValue(),
                        REGISTRY_HEALTH_CHECK.defaultValue()), new Limits(HTTP_MAX_BODY_BYTES.defaultValue(),
                HTTP_BULK_MAX_BYTES.defaultValue(), HTTP_BULK_MAX_ENTRIES.defaultValue(),
                HTTP_RATE_LIMIT_PER_KEY.defaultValue()), null, new ImportTopics(
                StreamsAppConfig.PROGRESS_TOPIC.defaultValue(), StreamsAppConfig.STATUS_TOPIC.defaultValue()));
    }

    public HttpConfig withShutdownTimeout(Duration timeout) {
        return new HttpConfig(engine, bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, timeout, registry, limits, statusPort, imports);
    }

    public HttpConfig withRegistryFollow(RegistryFollow follow) {
        return new HttpConfig(engine, bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, shutdownTimeout, follow, limits, statusPort, imports);
    }

    public HttpConfig withLimits(Limits newLimits) {
        return new HttpConfig(engine, bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, shutdownTimeout, registry, newLimits, statusPort, imports);
    }

    public HttpConfig withImportTopics(ImportTopics topics) {
        return new HttpConfig(engine, bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, shutdownTimeout, registry, limits, statusPort, topics);
    }

    /** {@code /health} and {@code /metrics} on a port of their own (0: any free port); null: on the API's port. */
    public HttpConfig withStatusPort(Integer newStatusPort) {
        return new HttpConfig(engine, bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, shutdownTimeout, registry, limits, newStatusPort, imports);
    }

    /** How the endpoint listens; its default body limit is the filter document's, routes with bodies set their own. */
    HttpEndpointOptions endpointOptions() {
        return new HttpEndpointOptions(bindAddress, port, threads, maxConnections, idleTimeout, requestReadTimeout,
                responseTimeout, engine.filterLimits().maxPayloadBytes(), shutdownTimeout);
    }

    private static ConfigOption<Duration> positive(ConfigOption<Duration> option) {
        return option.withValidator(d -> d.isNegative() || d.isZero() ? "must be positive" : null);
    }
}

package io.stardust.http;

import io.stardust.StarDustConfig;
import io.stardust.config.ConfigDef;
import io.stardust.config.ConfigOption;
import io.stardust.config.ConfigValues;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API's settings: the engine's options plus its own. Environment variables are {@code STARDUST_} + the key
 * in upper snake case. The README's table is {@link #definition()}'s {@code markdownTable()}.
 */
public record HttpConfig(StarDustConfig engine, String bindAddress, int port, int threads) {

    public static final ConfigOption<Integer> HTTP_PORT = ConfigOption.integer("httpPort", 8080,
            "Port the HTTP API listens on; 0 = any free port.").between(0, 65_535);
    public static final ConfigOption<String> HTTP_BIND_ADDRESS = ConfigOption.string("httpBindAddress", "127.0.0.1",
            "Address the HTTP API binds to. Loopback by default: the API has no authentication of its own.");
    public static final ConfigOption<Integer> HTTP_THREADS = ConfigOption.integer("httpThreads", 8,
            "Worker threads serving requests (each may hold one pooled connection while it runs).").between(1, 512);

    public static final List<ConfigOption<?>> OPTIONS = List.of(HTTP_PORT, HTTP_BIND_ADDRESS, HTTP_THREADS);

    /** Engine options (connection, pool, filter limits) followed by the HTTP API's. */
    public static ConfigDef definition() {
        List<ConfigOption<?>> all = new ArrayList<>(StarDustConfig.OPTIONS);
        all.addAll(OPTIONS);
        return ConfigDef.of(all);
    }

    public static HttpConfig from(ConfigValues v) {
        return new HttpConfig(StarDustConfig.from(v), v.require(HTTP_BIND_ADDRESS), v.get(HTTP_PORT), v.get(HTTP_THREADS));
    }

    /** The engine config with the HTTP defaults, for embedding and tests. */
    public static HttpConfig of(StarDustConfig engine, int port) {
        return new HttpConfig(engine, HTTP_BIND_ADDRESS.defaultValue(), port, HTTP_THREADS.defaultValue());
    }
}

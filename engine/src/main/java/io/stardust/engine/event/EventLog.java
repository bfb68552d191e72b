package io.stardust.engine.event;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Emits StarDust's structured events through SLF4J as key/value pairs: {@code event}, {@code source},
 * {@code correlation_id}, then the event's own context in the order given. The NDJSON layout is the
 * deployable's logging configuration (logstash-logback-encoder), not this class.
 *
 * <p>The logger name is {@code stardust.<source>}, so operators can tune levels per source.
 */
public final class EventLog {
    private static final java.util.Set<String> RESERVED = java.util.Set.of("ts", "level", "event", "source", "message", "logger");

    private final String source;
    private final Logger logger;

    public EventLog(String source) {
        this.source = source;
        this.logger = LoggerFactory.getLogger("stardust." + source);
    }

    public String source() {
        return source;
    }

    public void info(String event, Object... keyValues) {
        emit(Level.INFO, event, null, keyValues);
    }

    public void warning(String event, Object... keyValues) {
        emit(Level.WARN, event, null, keyValues);
    }

    public void error(String event, Throwable cause, Object... keyValues) {
        emit(Level.ERROR, event, cause, keyValues);
    }

    /**
     * Emits an event. {@code keyValues} alternate key and value; a {@code correlation_id} among them is used,
     * otherwise a fresh UUIDv4 is generated.
     */
    public void emit(Level level, String event, Throwable cause, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("event " + event + " has an odd number of key/value arguments");
        }
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        Object correlation = null;
        for (int i = 0; i < keyValues.length; i += 2) {
            if ("correlation_id".equals(keyValues[i])) {
                correlation = keyValues[i + 1];
            }
        }
        if (!(correlation instanceof String s) || s.isEmpty()) {
            correlation = UUID.randomUUID().toString();
        }
        LoggingEventBuilder b = logger.atLevel(level)
                .addKeyValue("event", event)
                .addKeyValue("source", source)
                .addKeyValue("correlation_id", correlation);
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = String.valueOf(keyValues[i]);
            if ("correlation_id".equals(key)) {
                continue;
            }
            // Context keys that collide with the record's own keys are kept under a prefix, never dropped.
            b = b.addKeyValue(RESERVED.contains(key) ? "context_" + key : key, keyValues[i + 1]);
        }
        if (cause != null) {
            b = b.setCause(cause);
        }
        b.log(event);
    }
}

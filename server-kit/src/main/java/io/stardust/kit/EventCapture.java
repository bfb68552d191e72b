package io.stardust.kit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Records the structured events (SLF4J key/value pairs) logged under {@code stardust.*} while open, so tests can
 * assert on event names and fields. Use in try-with-resources or open/close per test.
 */
public final class EventCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One captured event: its name, its level and every key/value in emission order. */
    public record Event(String name, String level, Map<String, Object> fields) {
        public Object get(String key) {
            return fields.get(key);
        }

        public String source() {
            return (String) fields.get("source");
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Logger root;

    private EventCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.root = context.getLogger("stardust");
        setContext(context);
        setName("event-capture-" + System.identityHashCode(this));
        start();
        root.addAppender(this);
    }

    public static EventCapture open() {
        return new EventCapture();
    }

    @Override
    protected void append(ILoggingEvent e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                fields.put(kv.key, kv.value);
            }
        }
        Object name = fields.get("event");
        events.add(new Event(name == null ? "generic_log" : name.toString(), e.getLevel().toString(), fields));
    }

    public List<Event> all() {
        return List.copyOf(events);
    }

    public List<Event> named(String name) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.name().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Event names in emission order. */
    public List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    public void clear() {
        events.clear();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}

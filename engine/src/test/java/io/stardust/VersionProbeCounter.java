package io.stardust;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A data source that counts the read path's {@code stardust_schema_version} probes prepared through it, so a test
 * can show that an engine built on it did (or did not) probe the version table.
 */
public final class VersionProbeCounter {
    /** The read path's probe ({@code SchemaVersion.read}). */
    public static final String PROBE = "SELECT version FROM stardust_schema_version WHERE id = 1";

    private final AtomicLong probes = new AtomicLong();
    private final DataSource counted;

    public VersionProbeCounter(DataSource target) {
        this.counted = proxy(DataSource.class, target, (method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection c && method.getName().equals("getConnection") ? connection(c) : result;
        });
    }

    public DataSource dataSource() {
        return counted;
    }

    public long probes() {
        return probes.get();
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && PROBE.equals(args[0])) {
                probes.incrementAndGet();
            }
            return method.invoke(c, args);
        });
    }

    private interface Call {
        Object invoke(Method method, Object[] args) throws ReflectiveOperationException;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler h = (p, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }
}

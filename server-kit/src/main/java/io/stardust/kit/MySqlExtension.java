package io.stardust.kit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link EmbeddedMySql} per test run (kept in the root store and closed when the run
 * ends, failed or not), and one fresh database per test class, injected as a {@link TestDatabase} parameter
 * into constructors, lifecycle methods and tests.
 *
 * <p>The work directory is the system property {@code stardust.kit.dir} (Surefire points it at
 * {@code target/server-kit}), else the temp directory.
 */
public final class MySqlExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(MySqlExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == EmbeddedMySql.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase db = database(context);
        return parameter.getParameter().getType() == EmbeddedMySql.class ? db.server() : db;
    }

    private static TestDatabase database(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("database", key -> {
            SharedServer shared = sharedServer(context);
            String name = shared.nextDatabaseName(classContext.getRequiredTestClass());
            shared.server().recreateDatabase(name);
            return new ClassDatabase(new TestDatabase(shared.server(), name));
        }, ClassDatabase.class).database();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static SharedServer sharedServer(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("server", key -> {
            String dir = System.getProperty("stardust.kit.dir", System.getProperty("java.io.tmpdir") + "/stardust-kit");
            return new SharedServer(EmbeddedMySql.start(MySqlOptions.forTests(Path.of(dir))));
        }, SharedServer.class);
    }

    /** Closed by JUnit when the root context ends. */
    private record SharedServer(EmbeddedMySql server, AtomicInteger counter)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        SharedServer(EmbeddedMySql server) {
            this(server, new AtomicInteger());
        }

        String nextDatabaseName(Class<?> testClass) {
            String simple = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
            String name = "t" + counter.incrementAndGet() + "_" + simple;
            return name.length() > 64 ? name.substring(0, 64) : name;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** Drops the class's database when the class is done, so a long run does not pile up data. */
    private record ClassDatabase(TestDatabase database) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            database.server().dropDatabase(database.name());
        }
    }
}

package io.stardust.kit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link EmbeddedKafka} per test run (kept in the root store and closed when the run
 * ends, failed or not), injected as an {@link EmbeddedKafka} parameter into constructors, lifecycle methods and
 * tests. Test classes share the broker, so each should use topic and group names of its own. A class that
 * needs MySQL too adds {@link MySqlExtension} beside this one.
 *
 * <p>If an earlier class left the broker crashed ({@link EmbeddedKafka#crash()} without a restart), it is
 * restarted before the next class gets it.
 *
 * <p>The work directory is the system property {@code stardust.kit.dir} (Surefire points it at
 * {@code target/server-kit}), else the temp directory.
 */
public final class KafkaExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(KafkaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedKafka kafka = broker(context);
        if (!kafka.isRunning()) {
            kafka.restart();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static EmbeddedKafka broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("broker", key -> {
            String dir = System.getProperty("stardust.kit.dir", System.getProperty("java.io.tmpdir") + "/stardust-kit");
            return new SharedBroker(EmbeddedKafka.start(KafkaOptions.forTests(Path.of(dir))));
        }, SharedBroker.class).broker();
    }

    /** Closed by JUnit when the root context ends. */
    private record SharedBroker(EmbeddedKafka broker) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }
}

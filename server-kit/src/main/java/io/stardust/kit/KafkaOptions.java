package io.stardust.kit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run an {@link EmbeddedKafka}.
 *
 * @param workDir          where each broker's run directory (properties, log dir, broker log) goes
 * @param brokerPort       client listener port on 127.0.0.1; 0 for a free port
 * @param controllerPort   KRaft controller listener port on 127.0.0.1; 0 for a free port
 * @param maxHeapMb        {@code -Xmx} of the broker JVM, in MiB
 * @param autoCreateTopics {@code auto.create.topics.enable}; off by default so a typo in a topic name fails loudly
 * @param keepData         keep the run directory after {@link EmbeddedKafka#close()}
 * @param logLevel         level of the broker's own log file ({@code WARN} keeps it short, {@code INFO} to debug)
 * @param startTimeout     how long to wait for the broker to answer {@code describeCluster}
 * @param jvmFlags         extra flags for the broker JVM, after the heap size
 * @param brokerProperties extra {@code server.properties} entries; they override the kit's defaults
 */
public record KafkaOptions(Path workDir, int brokerPort, int controllerPort, int maxHeapMb, boolean autoCreateTopics,
                           boolean keepData, String logLevel, Duration startTimeout, List<String> jvmFlags,
                           Map<String, String> brokerProperties) {

    /**
     * Serial GC and C1 only: on a 2-core machine the broker comes up about 0.7 s sooner and competes less with
     * the test JVM for CPU. Drop them ({@link #withJvmFlags}) for throughput measurements.
     */
    public static final List<String> QUICK_START_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    public KafkaOptions {
        jvmFlags = List.copyOf(jvmFlags);
        brokerProperties = Map.copyOf(brokerProperties);
    }

    /** Defaults for tests: free ports, 384 MiB heap, no topic auto-creation, WARN log, data deleted on close. */
    public static KafkaOptions forTests(Path workDir) {
        return new KafkaOptions(workDir, 0, 0, 384, false, false, "WARN", Duration.ofSeconds(60),
                QUICK_START_FLAGS, Map.of());
    }

    public KafkaOptions withPorts(int broker, int controller) {
        return new KafkaOptions(workDir, broker, controller, maxHeapMb, autoCreateTopics, keepData, logLevel,
                startTimeout, jvmFlags, brokerProperties);
    }

    public KafkaOptions withMaxHeapMb(int mb) {
        return new KafkaOptions(workDir, brokerPort, controllerPort, mb, autoCreateTopics, keepData, logLevel,
                startTimeout, jvmFlags, brokerProperties);
    }

    public KafkaOptions withAutoCreateTopics(boolean enabled) {
        return new KafkaOptions(workDir, brokerPort, controllerPort, maxHeapMb, enabled, keepData, logLevel,
                startTimeout, jvmFlags, brokerProperties);
    }

    public KafkaOptions withKeepData(boolean keep) {
        return new KafkaOptions(workDir, brokerPort, controllerPort, maxHeapMb, autoCreateTopics, keep, logLevel,
                startTimeout, jvmFlags, brokerProperties);
    }

    public KafkaOptions withLogLevel(String level) {
        return new KafkaOptions(workDir, brokerPort, controllerPort, maxHeapMb, autoCreateTopics, keepData, level,
                startTimeout, jvmFlags, brokerProperties);
    }

    public KafkaOptions withStartTimeout(Duration timeout) {
        return new KafkaOptions(workDir, brokerPort, controllerPort, maxHeapMb, autoCreateTopics, keepData, logLevel,
                timeout, jvmFlags, brokerProperties);
    }

    public KafkaOptions withJvmFlags(List<String> flags) {
        return new KafkaOptions(workDir, brokerPort, controllerPort, maxHeapMb, autoCreateTopics, keepData, logLevel,
                startTimeout, flags, brokerProperties);
    }

    /** Adds (or replaces) one {@code server.properties} entry. */
    public KafkaOptions withBrokerProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(brokerProperties);
        merged.put(key, value);
        return new KafkaOptions(workDir, brokerPort, controllerPort, maxHeapMb, autoCreateTopics, keepData, logLevel,
                startTimeout, jvmFlags, merged);
    }

    /**
     * Settings for a single node that plays broker and controller. Internal topics get replication factor 1
     * (there is no second broker) and few partitions (the first consumer group and the first transaction create
     * them, and 50 partitions take noticeably longer on a small machine); consumer groups rebalance at once; the
     * log cleaner's buffer is shrunk from 128 MiB so it fits a small heap.
     */
    Map<String, String> singleNodeDefaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", Boolean.toString(autoCreateTopics));
        // After a SIGKILL the restarted broker cannot register again until the controller has expired its
        // previous registration: 9 s by default, 3 s here, so crash tests recover in about 6 s instead of 12.
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "3000");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
        return p;
    }
}

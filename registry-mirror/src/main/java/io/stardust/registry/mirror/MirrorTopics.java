package io.stardust.registry.mirror;

import io.stardust.engine.event.EventLog;
import io.stardust.registry.mirror.MirrorRefusedException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The registry topic (compacted, created if missing) and the producer that writes to it. */
final class MirrorTopics {
    private static final EventLog events = new EventLog("registry_mirror");

    private MirrorTopics() {
    }

    static void ensureRegistryTopic(RegistryMirrorConfig cfg) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"))) {
            NewTopic t = new NewTopic(cfg.topic(), Optional.of(cfg.topicPartitions()),
                    cfg.replicationFactor() < 0 ? Optional.empty() : Optional.of(cfg.replicationFactor()))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
                events.info("topic_created", "topic", cfg.topic(), "partitions", cfg.topicPartitions());
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + cfg.topic() + ": " + e.getCause(), e.getCause());
                }
            }
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, cfg.topic());
            Config config = admin.describeConfigs(List.of(r)).all().get(60, TimeUnit.SECONDS).get(r);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (policy == null || !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new MirrorRefusedException(Reason.TOPIC_NOT_COMPACTED, "topic " + cfg.topic() + " exists with"
                        + " cleanup.policy=" + policy + "; the registry topic must be compacted (cleanup.policy=compact),"
                        + " or followers starting from the beginning would miss rows whose last change was deleted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + cfg.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + cfg.kafkaBootstrap() + " to check topic "
                    + cfg.topic() + ": " + e, e);
        }
    }

    static Properties producerProperties(RegistryMirrorConfig cfg) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
        // Idempotent with acks=all: broker-side retries never duplicate or reorder a row's changes in its partition.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "stardust-registry-mirror-" + ProcessHandle.current().pid());
        return p;
    }
}

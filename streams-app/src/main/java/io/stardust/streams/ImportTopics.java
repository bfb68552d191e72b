package io.stardust.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the app's own topics when they are missing (never changes existing ones): the imports and rejected topics
 * with {@code importsTopicPartitions}, the progress and status topics compacted. The gateway's topic and its
 * events topic (read to count landed lines) are created the same way if they are missing; the registry topic is the mirror's and must exist.
 */
final class ImportTopics {
    private ImportTopics() {
    }

    static void ensure(StreamsAppConfig cfg) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(cfg.registryTopic())) {
                throw new MissingRegistryTopicException(cfg.registryTopic());
            }
            Map<String, String> compact = Map.of("cleanup.policy", "compact");
            List<NewTopic> wanted = List.of(
                    new NewTopic(cfg.importsTopic(), Optional.of(cfg.importsPartitions()), Optional.empty()),
                    new NewTopic(cfg.rejectedTopic(), Optional.of(cfg.importsPartitions()), Optional.empty()),
                    new NewTopic(cfg.entriesTopic(), Optional.of(cfg.importsPartitions()), Optional.empty()),
                    new NewTopic(cfg.entryEventsTopic(), Optional.of(cfg.importsPartitions()), Optional.empty()),
                    new NewTopic(cfg.progressTopic(), Optional.of(1), Optional.empty()).configs(compact),
                    new NewTopic(cfg.statusTopic(), Optional.of(1), Optional.empty()).configs(compact));
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic t : wanted) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // another instance created it meanwhile
                        throw e;
                    }
                }
            }
        }
    }

    /** The registry topic is missing: the registry mirror has not run yet (a declared refusal, exit 2). */
    static final class MissingRegistryTopicException extends RuntimeException {
        MissingRegistryTopicException(String topic) {
            super("the registry topic " + topic + " does not exist; start the registry mirror (bin/stardust registry-mirror)"
                    + " first: imports are validated against it");
        }
    }
}

package io.stardust.gateway.consumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Pauses fetching of the ready partitions while a full batch waits behind the one in flight, and resumes them
 * once there is room; {@code poll()} keeps running meanwhile, so the group never evicts this member. Only the
 * pauses it made itself are undone here (partitions waiting for their MySQL position stay paused). Consumer
 * thread only.
 */
final class BackPressure {
    private final Consumer<?, ?> consumer;
    private final Set<TopicPartition> paused = new HashSet<>();

    BackPressure(Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    void apply(boolean full, Set<TopicPartition> ready) {
        if (full) {
            List<TopicPartition> toPause = new ArrayList<>();
            for (TopicPartition tp : ready) {
                if (paused.add(tp)) {
                    toPause.add(tp);
                }
            }
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
            }
        } else if (!paused.isEmpty()) {
            List<TopicPartition> toResume = new ArrayList<>();
            for (TopicPartition tp : paused) {
                if (ready.contains(tp)) {
                    toResume.add(tp);
                }
            }
            paused.clear();
            consumer.resume(toResume);
        }
    }

    /** These partitions are no longer this consumer's, or are being re-positioned: not ours to resume. */
    void forget(Collection<TopicPartition> partitions) {
        paused.removeAll(partitions);
    }
}

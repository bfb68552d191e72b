package io.stardust.gateway;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Producer partitioner for {@code stardust.entries}: partitions by the tenant id at the start of the record key
 * (everything before the first {@code /}), with the default partitioner's hash. So a value record keyed
 * {@code 1} and a tombstone keyed {@code 1/company/acme} land on the same partition — where the default
 * partitioner puts key {@code 1} — and the tombstone cannot overtake the tenant's earlier records. Use it with
 * {@code partitioner.class=io.stardust.gateway.TenantPartitioner}; other clients get the same placement with a
 * murmur2 (Java-compatible) partitioner over the tenant id.
 */
public final class TenantPartitioner implements Partitioner {
    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        if (keyBytes == null) {
            return ThreadLocalRandom.current().nextInt(partitions);
        }
        int slash = -1;
        for (int i = 0; i < keyBytes.length; i++) {
            if (keyBytes[i] == '/') {
                slash = i;
                break;
            }
        }
        byte[] tenant = slash < 0 ? keyBytes : Arrays.copyOf(keyBytes, slash);
        return Utils.toPositive(Utils.murmur2(tenant)) % partitions;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}

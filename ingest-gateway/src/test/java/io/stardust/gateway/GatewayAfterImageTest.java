package io.stardust.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code gatewayEventsAfterImage}: events that carry the entry's fields, enough to rebuild every entry from them. */
@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class GatewayAfterImageTest {
    private final TestDatabase db;
    private final EmbeddedKafka kafka;
    private GatewayFixture fx;
    private Gateway gateway;

    GatewayAfterImageTest(TestDatabase db, EmbeddedKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void setUp() {
        fx = new GatewayFixture(db, kafka, 2);
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        fx.close();
    }

    @Test
    void withAfterImagesAConsumerRebuildsEveryEntrysLatestFieldsFromTheEventsTopicAlone() {
        fx.companyModel(1);
        fx.companyModel(2);
        gateway = Gateway.start(fx.set("gatewayEventsAfterImage", "true").set("gatewayBatchMaxRecords", "40").config());
        int expectedEvents = sendMixedChanges(new Random(7), 600);
        fx.awaitIngested(Duration.ofSeconds(90));

        List<JsonNode> events = fx.events(expectedEvents);
        assertThat(events).hasSize(expectedEvents);
        assertThat(rebuild(events)).isEqualTo(liveEntriesInMySql());
    }

    @Test
    void withoutTheOptionEventsCarryIdsAndTypeButNoFields() {
        fx.companyModel(1);
        gateway = Gateway.start(fx.config());
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"acme\",\"fields\":{\"name\":\"Acme\"}}");
        fx.send("1", "{\"tenantId\":1,\"model\":\"company\",\"key\":\"acme\",\"fields\":{\"name\":\"Acme Ltd\"}}");
        fx.awaitIngested(Duration.ofSeconds(60));

        List<JsonNode> events = fx.events(2);
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("created", "updated");
        assertThat(events).allSatisfy(e -> assertThat(e.has("fields")).isFalse());
    }

    /**
     * Keyed upserts (creates and full replacements), tombstones and unkeyed inserts for two tenants, in random
     * order; returns how many events they make (a tombstone of a key without a live entry makes none).
     */
    private int sendMixedChanges(Random random, int n) {
        Set<String> live = new HashSet<>();
        int events = 0;
        for (int i = 0; i < n; i++) {
            int tenant = 1 + random.nextInt(2);
            String key = "k" + random.nextInt(60);
            int roll = random.nextInt(10);
            if (roll == 0) {
                fx.send(Integer.toString(tenant), "{\"tenantId\":" + tenant + ",\"model\":\"company\",\"fields\":{\"seq\":" + i + "}}");
                events++;
            } else if (roll == 1) {
                fx.send(tenant + "/company/" + key, null);
                events += live.remove(tenant + "/" + key) ? 1 : 0;
            } else {
                String fields = random.nextBoolean()
                        ? "{\"name\":\"n" + i + "\",\"seq\":" + i + ",\"note\":\"free text " + i + "\"}"
                        : "{\"seq\":" + i + ",\"tags\":[\"a\",{\"b\":" + i + "}]}";
                fx.send(Integer.toString(tenant), "{\"tenantId\":" + tenant + ",\"model\":\"company\",\"key\":\"" + key
                        + "\",\"fields\":" + fields + "}");
                live.add(tenant + "/" + key);
                events++;
            }
        }
        return events;
    }

    /** What a consumer of the events topic knows: per entry its latest fields, deleted entries dropped. */
    private static Map<String, JsonNode> rebuild(List<JsonNode> events) {
        Map<String, JsonNode> entries = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode e : events) { // one entry's events are in one partition, in order
            if (!seen.add(e.get("eventId").asText())) {
                continue; // at-least-once: a republished event
            }
            String entry = e.get("tenantId").asLong() + "/" + e.get("entryId").asLong();
            if (e.get("type").asText().equals("deleted")) {
                assertThat(e.has("fields")).as("a deleted event has no after-image").isFalse();
                entries.remove(entry);
            } else {
                entries.put(entry, e.get("fields"));
            }
        }
        return entries;
    }

    private Map<String, JsonNode> liveEntriesInMySql() {
        Map<String, JsonNode> out = new HashMap<>();
        for (List<Object> r : fx.rows("SELECT tenant_id, id, fields FROM entry_data WHERE deleted_at IS NULL")) {
            out.put(r.get(0) + "/" + r.get(1), GatewayFixture.parse(r.get(2).toString()));
        }
        return out;
    }
}

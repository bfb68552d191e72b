package io.stardust.gateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.gateway.health.StepClock;
import io.stardust.ingest.plan.RecordPlanner.Prepared;
import io.stardust.ingest.source.SourcePartition;
import io.stardust.ingest.source.SourceRecord;
import io.stardust.ingest.write.Batch;
import io.stardust.ingest.write.BatchWriter.Committed;
import io.stardust.ingest.write.BatchWriter.Fenced;
import io.stardust.ingest.write.BatchWriter.Result;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop's state machine without a broker or MySQL: Kafka's {@code MockConsumer}, an in-memory
 * positions table standing in for {@code stardust_ingest_offsets}, a writer whose results the test hands back,
 * and a clock moved by hand. Each test drives the loop one {@code pollOnce()} at a time.
 */
class IngestLoopTest {
    private static final String TOPIC = "stardust.entries";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration LINGER = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final StepClock clock = new StepClock();
    private final Map<SourcePartition, Long> mysql = new HashMap<>();
    private boolean mysqlDown;
    private int positionReads;
    private final List<Batch> submitted = new ArrayList<>();
    private final List<CompletableFuture<Result>> results = new ArrayList<>();
    private final List<Batch> committed = new ArrayList<>();
    /** The offsets of each call to {@code BatchSink.prepare}. */
    private final List<List<Long>> preparedAhead = new ArrayList<>();
    private IngestLoop loop;

    @BeforeEach
    void startLoop() {
        StoredPositions positions = partitions -> {
            positionReads++;
            if (mysqlDown) {
                throw new SQLTransientConnectionException("Communications link failure");
            }
            Map<SourcePartition, Long> out = new HashMap<>();
            for (SourcePartition sp : partitions) {
                if (mysql.containsKey(sp)) {
                    out.put(sp, mysql.get(sp));
                }
            }
            return out;
        };
        BatchSink sink = new BatchSink() {
            @Override
            public CompletableFuture<Result> submit(Batch batch) {
                CompletableFuture<Result> result = new CompletableFuture<>();
                submitted.add(batch);
                results.add(result);
                return result;
            }

            @Override
            public Prepared prepare(List<SourceRecord> records) {
                preparedAhead.add(records.stream().map(SourceRecord::offset).toList());
                return Prepared.NONE;
            }
        };
        loop = new IngestLoop(consumer, new LoopSettings(TOPIC, 3, 1_000_000, LINGER, RETRY), positions, sink, clock,
                (batch, result, latency) -> committed.add(batch), lag -> {
                });
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        loop.subscribe();
    }

    @Test
    void assignedPartitionsStayPausedUntilTheirMySqlPositionsAreReadAndThenConsumeFromThere() {
        mysql.put(source(P0), 5L);
        consumer.rebalance(List.of(P0, P1));
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

        loop.pollOnce();

        assertThat(consumer.paused()).isEmpty();
        assertThat(consumer.position(P0)).as("sought to the stored position").isEqualTo(5L);
        assertThat(consumer.position(P1)).as("no stored position: the beginning of the log").isEqualTo(0L);
    }

    @Test
    void whileMySqlIsUnavailableTheAssignedPartitionsStayPausedAndThePositionsAreReadAgainAfterTheBackoff() {
        mysql.put(source(P0), 5L);
        mysqlDown = true;
        consumer.rebalance(List.of(P0));

        loop.pollOnce();
        assertThat(consumer.paused()).containsExactly(P0);
        mysqlDown = false;
        loop.pollOnce();
        assertThat(positionReads).as("not read again before the backoff passed").isEqualTo(1);
        assertThat(consumer.paused()).containsExactly(P0);

        clock.advance(RETRY);
        loop.pollOnce();
        assertThat(positionReads).isEqualTo(2);
        assertThat(consumer.paused()).isEmpty();
        assertThat(consumer.position(P0)).isEqualTo(5L);
    }

    @Test
    void aPartialBatchIsWrittenOnceItsOldestRecordHasLingeredByTheClock() {
        mysql.put(source(P0), 5L);
        consumer.rebalance(List.of(P0));
        loop.pollOnce();
        addRecords(P0, 5, 2);

        loop.pollOnce();
        clock.advance(LINGER.minusMillis(1));
        loop.pollOnce();
        assertThat(submitted).as("still lingering").isEmpty();

        clock.advance(Duration.ofMillis(1));
        loop.pollOnce();
        assertThat(submitted).hasSize(1);
        assertThat(offsets(submitted.get(0))).containsExactly(5L, 6L);
        assertThat(submitted.get(0).expected()).as("the position MySQL holds").isEqualTo(Map.of(source(P0), 5L));
    }

    @Test
    void aFullBatchWaitingBehindTheOneInFlightPausesFetchingUntilTheWriterHasCommitted() {
        consumer.rebalance(List.of(P0));
        loop.pollOnce();
        addRecords(P0, 0, 3);
        loop.pollOnce();
        assertThat(submitted).as("a full batch goes at once").hasSize(1);
        assertThat(submitted.get(0).expected()).as("no stored row yet").isEmpty();

        addRecords(P0, 3, 3);
        loop.pollOnce();
        assertThat(consumer.paused()).as("the next batch is full and waits: stop fetching").containsExactly(P0);
        loop.pollOnce();
        assertThat(submitted).hasSize(1);

        results.get(0).complete(committed(Map.of(source(P0), 3L)));
        pollUntilSubmitted(2);

        assertThat(committed).hasSize(1);
        assertThat(consumer.paused()).as("room again: fetching resumes").isEmpty();
        assertThat(offsets(submitted.get(1))).containsExactly(3L, 4L, 5L);
        assertThat(submitted.get(1).expected()).as("chained from the commit").isEqualTo(Map.of(source(P0), 3L));
    }

    @Test
    void theNextFullBatchIsHandedToTheWriterInTheSameTurnThatTheCommitWokeThePollFrom() {
        consumer.rebalance(List.of(P0));
        loop.pollOnce();
        addRecords(P0, 0, 3);
        loop.pollOnce();
        addRecords(P0, 3, 3);
        loop.pollOnce();
        assertThat(consumer.paused()).as("the next batch is full and waits").containsExactly(P0);

        // completing the batch wakes the consumer up (consumer.wakeup()), so this turn's poll() ends in a WakeupException
        results.get(0).complete(committed(Map.of(source(P0), 3L)));
        loop.pollOnce();

        assertThat(submitted).as("handed over without waiting for another poll()").hasSize(2);
        assertThat(offsets(submitted.get(1))).containsExactly(3L, 4L, 5L);
    }

    @Test
    void theNextFullBatchIsPlannedAheadOnceWhileTheBatchInFlightIsWrittenAndAgainForTheBatchAfterIt() {
        consumer.rebalance(List.of(P0));
        loop.pollOnce();
        addRecords(P0, 0, 3);
        loop.pollOnce();
        assertThat(submitted).hasSize(1);
        assertThat(preparedAhead).as("nothing waits behind the batch in flight yet").isEmpty();

        addRecords(P0, 3, 2);
        loop.pollOnce();
        assertThat(preparedAhead).as("a partial next batch is not planned ahead").isEmpty();
        addRecords(P0, 5, 1);
        loop.pollOnce();
        loop.pollOnce();
        assertThat(preparedAhead).as("planned once, while batch 1 is in flight").containsExactly(List.of(3L, 4L, 5L));

        results.get(0).complete(committed(Map.of(source(P0), 3L)));
        pollUntilSubmitted(2);
        assertThat(offsets(submitted.get(1))).containsExactly(3L, 4L, 5L);
        addRecords(P0, 6, 3);
        loop.pollOnce();
        loop.pollOnce();
        assertThat(preparedAhead).as("the batch after is planned ahead in its turn")
                .containsExactly(List.of(3L, 4L, 5L), List.of(6L, 7L, 8L));
    }

    @Test
    void aFencedBatchMakesItsPartitionReadItsPositionAgainDropItsBufferedRecordsAndConsumeFromTheStoredOne() {
        mysql.put(source(P0), 10L);
        consumer.rebalance(List.of(P0));
        loop.pollOnce();
        addRecords(P0, 10, 3);
        loop.pollOnce();
        addRecords(P0, 13, 2);
        loop.pollOnce();
        assertThat(submitted).hasSize(1);

        mysql.put(source(P0), 12L); // another gateway owned the partition meanwhile and wrote up to 11
        results.get(0).complete(new Fenced(Set.of(source(P0))));
        loop.pollOnce(); // woken up by the result, collects it in the same turn: P0 back to pending, paused
        assertThat(consumer.paused()).containsExactly(P0);
        int readsBefore = positionReads;

        loop.pollOnce();
        assertThat(positionReads).isEqualTo(readsBefore + 1);
        assertThat(consumer.paused()).isEmpty();
        assertThat(consumer.position(P0)).isEqualTo(12L);

        addRecords(P0, 12, 3);
        pollUntilSubmitted(2);
        assertThat(offsets(submitted.get(1))).as("records buffered before the fence were dropped").containsExactly(12L, 13L, 14L);
        assertThat(submitted.get(1).expected()).isEqualTo(Map.of(source(P0), 12L));
    }

    @Test
    void aPartitionRevokedWhileItsBatchIsInFlightLosesItsBufferedRecordsAndIsReadFromMySqlWhenAssignedAgain() {
        mysql.put(source(P0), 0L);
        mysql.put(source(P1), 0L);
        consumer.rebalance(List.of(P0, P1));
        loop.pollOnce();
        addRecords(P0, 0, 3);
        loop.pollOnce();
        assertThat(submitted).hasSize(1);

        consumer.rebalance(List.of(P1));
        addRecords(P1, 0, 1);
        loop.pollOnce();

        // the batch of the revoked partition commits after all (its fencing check passed): that changes nothing here
        mysql.put(source(P0), 3L);
        results.get(0).complete(committed(Map.of(source(P0), 3L)));
        clock.advance(LINGER);
        pollUntilSubmitted(2);
        assertThat(submitted.get(1).partitions()).as("only the partition still owned").containsExactly(source(P1));

        mysql.put(source(P0), 7L); // the next owner wrote on meanwhile
        consumer.rebalance(List.of(P0, P1));
        assertThat(consumer.paused()).contains(P0);
        results.get(1).complete(committed(Map.of(source(P1), 1L)));
        loop.pollOnce(); // woken up by the result, collects it in the same turn
        assertThat(consumer.paused()).as("positions are read once no batch is in flight").contains(P0);
        loop.pollOnce();
        assertThat(consumer.paused()).doesNotContain(P0);
        assertThat(consumer.position(P0)).as("the stored position, not what this gateway last committed").isEqualTo(7L);
    }

    @Test
    void positionsAreNotReadWhileABatchIsInFlightSoAFenceDecidedByItIsSeen() {
        consumer.rebalance(List.of(P0));
        loop.pollOnce();
        addRecords(P0, 0, 3);
        loop.pollOnce();
        int readsBefore = positionReads;

        consumer.rebalance(List.of(P0, P1));
        loop.pollOnce();
        loop.pollOnce();
        assertThat(positionReads).isEqualTo(readsBefore);
        assertThat(consumer.paused()).contains(P1);

        results.get(0).complete(committed(Map.of(source(P0), 3L)));
        loop.pollOnce();
        loop.pollOnce();
        loop.pollOnce();
        assertThat(positionReads).isEqualTo(readsBefore + 1);
        assertThat(consumer.paused()).doesNotContain(P1);
    }

    private void pollUntilSubmitted(int batches) {
        for (int i = 0; i < 5 && submitted.size() < batches; i++) {
            loop.pollOnce();
        }
        assertThat(submitted).hasSize(batches);
    }

    private void addRecords(TopicPartition tp, long from, int count) {
        for (long o = from; o < from + count; o++) {
            consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), o, "1".getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static List<Long> offsets(Batch batch) {
        return batch.records().stream().map(SourceRecord::offset).toList();
    }

    private static Committed committed(Map<SourcePartition, Long> next) {
        return new Committed(next, 0, 0, 0, 0, List.of(), 0);
    }

    private static SourcePartition source(TopicPartition tp) {
        return new SourcePartition(tp.topic(), tp.partition());
    }
}

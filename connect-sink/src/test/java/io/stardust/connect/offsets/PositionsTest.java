package io.stardust.connect.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.ingest.source.SourcePartition;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PositionsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void assignedPartitionsAreUnresolvedUntilReadAndSeekToTheirRowOrTheStart() {
        Positions p = new Positions();
        p.assigned(List.of(P0, P1));
        assertThat(p.unresolvedAmong(List.of(P0, P1))).containsExactlyInAnyOrder(P0, P1);

        Map<TopicPartition, Long> seek = p.resolved(List.of(P0, P1), Map.of(new SourcePartition("t", 0), 40L));

        assertThat(seek).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 40L, P1, 0L));
        assertThat(p.unresolvedAmong(List.of(P0, P1))).isEmpty();
        assertThat(p.expected(List.of(new SourcePartition("t", 0), new SourcePartition("t", 1))))
                .containsExactlyEntriesOf(Map.of(new SourcePartition("t", 0), 40L));
    }

    @Test
    void recordsBeforeTheStoredPositionAreNotPendingAndACommitMovesIt() {
        Positions p = new Positions();
        p.assigned(List.of(P0));
        p.resolved(List.of(P0), Map.of(new SourcePartition("t", 0), 10L));
        assertThat(p.isPending(P0, 9)).isFalse();
        assertThat(p.isPending(P0, 10)).isTrue();
        p.committed(Map.of(new SourcePartition("t", 0), 20L));
        assertThat(p.isPending(P0, 19)).isFalse();
    }

    @Test
    void anInvalidatedPartitionMustBeReadAgainAndARevokedOneIsForgotten() {
        Positions p = new Positions();
        p.assigned(List.of(P0, P1));
        p.resolved(List.of(P0, P1), Map.of());
        p.invalidate(List.of(P0));
        assertThat(p.unresolvedAmong(List.of(P0, P1))).containsExactly(P0);
        p.revoked(List.of(P1));
        assertThat(p.unresolvedAmong(List.of(P1))).containsExactly(P1);
    }
}

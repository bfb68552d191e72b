package io.stardust.streams.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stardust.engine.event.EventLog;
import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.streams.wire.ImportHeaders;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two readers on one drop directory: the one reading a file (a child JVM) is SIGKILLed in the middle of it; the
 * other takes the file over once the dead reader's lease expired and finishes it from the committed position.
 */
@ExtendWith(KafkaExtension.class)
class ReaderTakeoverTest {
    private static final int LINES = 20_000;
    private static final Duration TAKEOVER_AFTER = Duration.ofSeconds(3);

    @TempDir
    Path drop;

    /** The victim: a reader alone in a JVM, configured by the test's environment, until it is killed. */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        FileReader.start(settings(env.get("STARDUST_TEST_BOOTSTRAP"), env.get("STARDUST_TEST_READER"),
                env.get("STARDUST_TEST_RUN")), Path.of(env.get("STARDUST_TEST_DROP")), Clock.systemUTC(), new EventLog("streams"));
        new java.util.concurrent.CountDownLatch(1).await(); // runs until SIGKILLed
    }

    @Test
    void aSigkilledReadersFileIsTakenOverByAnotherAndEveryLineIsSentExactlyOnce(EmbeddedKafka kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic("imports-" + run, 3);
        kafka.createTopic("progress-" + run, 1, Map.of("cleanup.policy", "compact"));
        try (BufferedWriter w = Files.newBufferedWriter(drop.resolve("big.ndjson.partial"), StandardCharsets.UTF_8)) {
            for (int i = 1; i <= LINES; i++) {
                w.write("{\"tenantId\":" + (1 + i % 5) + ",\"model\":\"m\",\"fields\":{\"i\":" + i + "}}\n");
            }
        }
        Path log = Path.of("target", "reader-victim-" + run + ".log");
        FileReader survivor = null;
        try (KillableProcess victim = KillableProcess.start(ReaderTakeoverTest.class, Map.of("STARDUST_TEST_BOOTSTRAP",
                kafka.bootstrapServers(), "STARDUST_TEST_READER", "victim", "STARDUST_TEST_RUN", run,
                "STARDUST_TEST_DROP", drop.toString()), log)) {
            Files.move(drop.resolve("big.ndjson.partial"), drop.resolve("big.ndjson"));
            await().atMost(Duration.ofMinutes(2)).until(() -> committedLines(kafka, run) > 1_000);
            victim.kill();
            assertThat(committedLines(kafka, run)).as("killed in the middle of the file").isLessThan(LINES);
            assertThat(drop.resolve("processing/victim/big.ndjson")).exists();

            survivor = FileReader.start(settings(kafka.bootstrapServers(), "survivor", run), drop, Clock.systemUTC(),
                    new EventLog("streams"));
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(drop.resolve("done/big.ndjson")));
        } finally {
            if (survivor != null) {
                survivor.close();
            }
        }
        List<Long> lines = CommittedRecords.read(kafka, "imports-" + run).stream()
                .filter(r -> r.headers().lastHeader(ImportHeaders.END) == null)
                .map(r -> ImportHeaders.number(r.headers(), ImportHeaders.LINE).orElseThrow()).sorted().toList();
        assertThat(lines).as("every line once, none lost, none repeated").isEqualTo(LongStream.rangeClosed(1, LINES).boxed().toList());
        assertThat(drop.resolve("processing/victim")).isEmptyDirectory();
    }

    private static FileReader.Settings settings(String bootstrap, String readerId, String run) {
        return new FileReader.Settings(bootstrap, readerId, Duration.ofMillis(100), Duration.ofMillis(100), "imports-" + run,
                "progress-" + run, 50, 1 << 20, TAKEOVER_AFTER);
    }

    private static long committedLines(EmbeddedKafka kafka, String run) {
        return CommittedRecords.read(kafka, "imports-" + run).size();
    }
}

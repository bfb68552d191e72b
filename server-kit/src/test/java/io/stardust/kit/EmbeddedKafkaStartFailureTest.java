package io.stardust.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that cannot start must say why, with its own log lines, and leave nothing running or on disk. */
class EmbeddedKafkaStartFailureTest {

    @Test
    void aBrokerThatDiesDuringStartUpReportsTheTailOfItsLog(@TempDir Path workDir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            KafkaOptions options = KafkaOptions.forTests(workDir).withPorts(taken.getLocalPort(), 0);

            assertThatThrownBy(() -> EmbeddedKafka.start(options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka broker exited with code")
                    .hasMessageContaining("Address already in use");
        }
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left).isEmpty();
        }
    }
}

package io.stardust.registry.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.kit.EmbeddedKafka;
import io.stardust.kit.KafkaExtension;
import io.stardust.kit.KillableProcess;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import io.stardust.registry.mirror.MirrorRefusedException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith({MySqlExtension.class, KafkaExtension.class})
class PreconditionsTest {
    private static final Set<String> ALL = Set.of("SELECT", "RELOAD", "REPLICATION SLAVE", "REPLICATION CLIENT");

    private static ServerSettings settings(String format, String image, String valueOptions, Set<String> global) {
        return new ServerSettings(true, format, image, valueOptions, 1, global, Set.of(), List.of(77L), "dbz@%");
    }

    @Test
    void theTestServerHasEverythingTheMirrorNeeds(TestDatabase db) throws Exception {
        try (Connection c = db.server().connect(db.name())) {
            ServerSettings.read(c, db.name()).check(5401, db.name());
        }
    }

    @Test
    void aStatementBinlogFormatIsRefused() {
        assertThatThrownBy(() -> settings("STATEMENT", "FULL", "", ALL).check(5401, "app"))
                .isInstanceOfSatisfying(MirrorRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BINLOG_FORMAT))
                .hasMessageContaining("binlog_format is STATEMENT").hasMessageContaining("ROW");
    }

    @Test
    void aMinimalRowImageIsRefused() {
        assertThatThrownBy(() -> settings("ROW", "MINIMAL", "", ALL).check(5401, "app"))
                .isInstanceOfSatisfying(MirrorRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BINLOG_ROW_IMAGE))
                .hasMessageContaining("binlog_row_image is MINIMAL");
    }

    @Test
    void partialJsonRowValuesAreRefused() {
        assertThatThrownBy(() -> settings("ROW", "FULL", "PARTIAL_JSON", ALL).check(5401, "app"))
                .isInstanceOfSatisfying(MirrorRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BINLOG_ROW_VALUE_OPTIONS))
                .hasMessageContaining("PARTIAL_JSON");
    }

    @Test
    void aServerIdEqualToTheServersOwnOrAReplicasIsRefused() {
        assertThatThrownBy(() -> settings("ROW", "FULL", "", ALL).check(1, "app"))
                .isInstanceOfSatisfying(MirrorRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_ID));
        assertThatThrownBy(() -> settings("ROW", "FULL", "", ALL).check(77, "app"))
                .isInstanceOfSatisfying(MirrorRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_ID))
                .hasMessageContaining("replica");
    }

    @Test
    void aUserWithoutReplicationGrantsIsRefusedWithExitCode2AndTheMissingGrantsNamed(TestDatabase db, EmbeddedKafka kafka,
                                                                                    @TempDir Path tmp) throws Exception {
        String user = "mirror_noreplication";
        try (Connection c = db.server().connect(""); Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
            s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'");
            s.execute("GRANT SELECT ON `" + db.name() + "`.* TO '" + user + "'@'%'");
        }
        try {
            MirrorFixture mf = new MirrorFixture(db, kafka).set("user", user).set("pass", "pw");
            assertThatThrownBy(() -> RegistryMirror.start(mf.config(), Clock.systemUTC()))
                    .isInstanceOfSatisfying(MirrorRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GRANTS))
                    .hasMessageContaining("lacks REPLICATION SLAVE, REPLICATION CLIENT, RELOAD")
                    .hasMessageContaining(user);

            Path log = tmp.resolve("mirror.log");
            try (KillableProcess p = KillableProcess.start(RegistryMirrorApp.class, mf.environment(), log)) {
                assertThat(p.exitCode(60)).isEqualTo(2);
            }
            assertThat(Files.readString(log)).contains("refused (grants)", "REPLICATION SLAVE", "\"event\":\"mirror_refused\"");
        } finally {
            try (Connection c = db.server().connect(""); Statement s = c.createStatement()) {
                s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
            }
        }
    }

    @Test
    void anExistingRegistryTopicThatIsNotCompactedIsRefused(TestDatabase db, EmbeddedKafka kafka) {
        MirrorFixture mf = new MirrorFixture(db, kafka);
        kafka.createTopic(mf.topic, 1, Map.of("cleanup.policy", "delete"));
        assertThatThrownBy(() -> RegistryMirror.start(mf.config(), Clock.systemUTC()))
                .isInstanceOfSatisfying(MirrorRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOPIC_NOT_COMPACTED))
                .hasMessageContaining("cleanup.policy=delete");
    }
}

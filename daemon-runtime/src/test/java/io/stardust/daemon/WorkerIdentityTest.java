package io.stardust.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkerIdentityTest {

    private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void hostPidAndAFreshUuidPerClaim() {
        WorkerIdentity id = WorkerIdentity.ofThisProcess();
        String a = id.mint();
        String b = id.mint();

        assertThat(a).matches("[^:]+:" + ProcessHandle.current().pid() + ":" + UUID_V4);
        assertThat(a).startsWith(id.host() + ":");
        assertThat(b).isNotEqualTo(a).startsWith(id.host() + ":" + id.pid() + ":");
    }

    @Test
    void anUnknownHostIsSpelledUnknown() {
        assertThat(new WorkerIdentity(null, 7, () -> "u").mint()).isEqualTo("unknown:7:u");
        assertThat(new WorkerIdentity("  ", 7, () -> "u").mint()).isEqualTo("unknown:7:u");
    }

    @Test
    void aLongHostNameIsShortenedToFitTheColumn() {
        UuidV4 uuids = new UuidV4(new Random(1));
        String id = new WorkerIdentity("h".repeat(300), 1234567, uuids::next).mint();
        assertThat(id).hasSize(WorkerIdentity.MAX_LENGTH).endsWith(":1234567:" + id.substring(id.length() - 36));
    }

    @Test
    void uuidV4SetsVersionAndVariantBitsAndIsLowercase() {
        assertThat(UuidV4.format(new byte[16])).isEqualTo("00000000-0000-4000-8000-000000000000");
        byte[] ones = new byte[16];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(UuidV4.format(ones)).isEqualTo("ffffffff-ffff-4fff-bfff-ffffffffffff");

        UuidV4 gen = UuidV4.secure();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String u = gen.next();
            assertThat(u).matches(UUID_V4);
            assertThat(UUID.fromString(u).version()).isEqualTo(4);
            assertThat(UUID.fromString(u).variant()).isEqualTo(2);
            seen.add(u);
        }
        assertThat(seen).hasSize(1000);
        assertThatThrownBy(() -> UuidV4.format(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.stardust.gateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.engine.outbox.ImportOrigin;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ImportLineHeadersTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @Test
    void theStreamsAppsImportIdAndLineHeadersAreTheRecordsOrigin() {
        assertThat(ImportLineHeaders.origin(headers(ID, "42"))).isEqualTo(ImportOrigin.landed(ID, 42));
    }

    @Test
    void headersOfAnotherFormAreNoOriginSoTheRecordIsWrittenLikeAnyOther() {
        assertThat(ImportLineHeaders.origin(new RecordHeaders())).isNull();
        assertThat(ImportLineHeaders.origin(headers(ID, "0"))).as("line numbers start at 1").isNull();
        assertThat(ImportLineHeaders.origin(headers(ID, "+7"))).isNull();
        assertThat(ImportLineHeaders.origin(headers(ID.toUpperCase(), "7"))).as("lower-case hex only").isNull();
        assertThat(ImportLineHeaders.origin(headers("abc", "7"))).as("a SHA-256 is 64 digits").isNull();
        assertThat(ImportLineHeaders.origin(headers(ID, "99999999999999999999"))).as("beyond a long").isNull();
    }

    private static RecordHeaders headers(String id, String line) {
        RecordHeaders h = new RecordHeaders();
        h.add(ImportLineHeaders.IMPORT_ID, id.getBytes(StandardCharsets.UTF_8));
        h.add(ImportLineHeaders.LINE, line.getBytes(StandardCharsets.UTF_8));
        return h;
    }
}

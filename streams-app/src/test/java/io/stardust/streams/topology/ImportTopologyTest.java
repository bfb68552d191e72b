package io.stardust.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.registry.events.Op;
import io.stardust.registry.events.RegistryChange;
import io.stardust.registry.events.RegistryChangeCodec;
import io.stardust.registry.events.SourcePosition;
import io.stardust.streams.wire.ImportCounts;
import io.stardust.streams.wire.ImportHeaders;
import io.stardust.streams.wire.LineRejection;
import io.stardust.streams.wire.RejectedLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImportTopologyTest {
    private static final ImportTopology.Topics TOPICS = new ImportTopology.Topics("registry", "imports", "entries",
            "rejected", "status", "events");
    private static final String ID = "ab12";

    private final AtomicLong binlogPos = new AtomicLong(4);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> registry;
    private TestInputTopic<String, byte[]> imports;
    private TestOutputTopic<String, byte[]> entries;
    private TestOutputTopic<String, String> rejected;
    private TestOutputTopic<String, String> status;
    private TestInputTopic<byte[], byte[]> events;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "import-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(ImportTopology.build(TOPICS, new EventLog("streams")), p);
        registry = driver.createInputTopic("registry", new ByteArraySerializer(), new ByteArraySerializer());
        imports = driver.createInputTopic("imports", new StringSerializer(), new ByteArraySerializer());
        entries = driver.createOutputTopic("entries", new StringDeserializer(), new ByteArrayDeserializer());
        rejected = driver.createOutputTopic("rejected", new StringDeserializer(), new StringDeserializer());
        status = driver.createOutputTopic("status", new StringDeserializer(), new StringDeserializer());
        events = driver.createInputTopic("events", new ByteArraySerializer(), new ByteArraySerializer());
        model(7, 1, "company");
        field(70, 7, "employees", "int", true);
        field(71, 7, "founded", "datetime", true);
        field(72, 7, "name", "string", false);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aValidNdjsonLineGoesToTheEntriesTopicKeyedByTenantWithImportIdAndLineHeaders() {
        String line = "{\"tenantId\":1,\"model\":\"Cómpany\",\"key\":\"acme\",\"fields\":{\"employees\":340,\"name\":\"Acme\"}}";
        ndjson(3, line);

        TestRecord<String, byte[]> out = entries.readRecord();
        assertThat(out.key()).isEqualTo("1");
        assertThat(new String(out.value(), StandardCharsets.UTF_8)).isEqualTo(line);
        assertThat(ImportHeaders.text(out.headers(), ImportHeaders.IMPORT_ID)).isEqualTo(ID);
        assertThat(ImportHeaders.text(out.headers(), ImportHeaders.LINE)).isEqualTo("3");
        assertThat(out.headers().lastHeader(ImportHeaders.FORMAT)).as("reader-only headers stay behind").isNull();
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void eachKindOfBadNdjsonLineIsRejectedWithItsFileLineAndReason() {
        ndjson(1, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{");
        ndjson(2, "{\"tenantId\":1,\"model\":\"shipment\",\"fields\":{}}");
        ndjson(3, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"employees\":\"many\"}}");
        ndjson(4, "{\"tenantId\":9,\"model\":\"company\",\"fields\":{}}");
        ndjson(5, "{\"tenantId\":\"1\",\"model\":\"company\",\"fields\":{}}");
        ndjson(6, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"founded\":\"yesterday\"}}");

        assertThat(rejected.readValuesToList().stream().map(RejectedLine::fromJson))
                .extracting(r -> r.file() + ":" + r.line(), RejectedLine::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t.ndjson:1", LineRejection.NOT_JSON),
                        org.assertj.core.groups.Tuple.tuple("t.ndjson:2", LineRejection.UNKNOWN_MODEL),
                        org.assertj.core.groups.Tuple.tuple("t.ndjson:3", LineRejection.UNCOERCIBLE_VALUE),
                        org.assertj.core.groups.Tuple.tuple("t.ndjson:4", LineRejection.UNKNOWN_TENANT),
                        org.assertj.core.groups.Tuple.tuple("t.ndjson:5", LineRejection.MALFORMED_ENVELOPE),
                        org.assertj.core.groups.Tuple.tuple("t.ndjson:6", LineRejection.UNCOERCIBLE_VALUE));
        assertThat(entries.isEmpty()).isTrue();
    }

    @Test
    void aCsvRowBecomesAnEnvelopeWithNumbersForNumericFieldsAndEmptyCellsLeftOut() {
        csv(2, "name,employees,founded", "\"Acme, Inc.\",340,");

        TestRecord<String, byte[]> out = entries.readRecord();
        assertThat(out.key()).isEqualTo("1");
        assertThat(Json.parseStored(new String(out.value(), StandardCharsets.UTF_8)))
                .isEqualTo(Json.parseStored("{\"tenantId\":1,\"model\":\"company\",\"fields\":{\"name\":\"Acme, Inc.\",\"employees\":340}}"));
    }

    @Test
    void badCsvRowsAreRejectedForColumnCountQuotingAndValues() {
        csv(2, "name,employees", "Acme");
        csv(3, "name,employees", "\"Acme,340");
        csv(4, "name,employees", "Acme,lots");

        assertThat(rejected.readValuesToList().stream().map(RejectedLine::fromJson)).extracting(RejectedLine::reason)
                .containsExactly(LineRejection.WRONG_COLUMN_COUNT, LineRejection.MALFORMED_CSV, LineRejection.UNCOERCIBLE_VALUE);
    }

    @Test
    void aLineTheReaderFoundTooLongIsRejectedAsTooLargeWithItsLength() {
        RecordHeaders h = headers("t.ndjson", "ndjson");
        ImportHeaders.put(h, ImportHeaders.LINE, "9");
        ImportHeaders.put(h, ImportHeaders.OVERSIZED, "2000000");
        imports.pipeInput(new TestRecord<>(ID, new byte[0], h));

        RejectedLine r = RejectedLine.fromJson(rejected.readValue());
        assertThat(r.reason()).isEqualTo(LineRejection.TOO_LARGE);
        assertThat(r.line()).isEqualTo(9);
        assertThat(r.message()).contains("2000000 bytes");
    }

    @Test
    void aModelWhosePurgeIsRunningRejectsItsLinesUntilThePurgeEnds() {
        checkpoint(5, "purge_model_7", "running");
        ndjson(1, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        assertThat(RejectedLine.fromJson(rejected.readValue()).reason()).isEqualTo(LineRejection.MODEL_DELETION_IN_PROGRESS);

        checkpoint(5, "purge_model_7", "completed");
        ndjson(2, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        assertThat(entries.readRecord().key()).isEqualTo("1");
    }

    @Test
    void aRenamedModelIsFoundByItsNewNameOnlyAndARetypedFieldIsCheckedAgainstItsNewType() {
        change(Op.UPDATE, "stardust_models", 7, modelRow(7, 1, "company"), modelRow(7, 1, "firm"));
        change(Op.UPDATE, "stardust_fields", 72, fieldRow(72, 7, "name", "string", false), fieldRow(72, 7, "name", "int", true));
        ndjson(1, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        ndjson(2, "{\"tenantId\":1,\"model\":\"firm\",\"fields\":{\"name\":\"Acme\"}}");
        ndjson(3, "{\"tenantId\":1,\"model\":\"firm\",\"fields\":{\"name\":12}}");

        assertThat(rejected.readValuesToList().stream().map(RejectedLine::fromJson))
                .extracting(RejectedLine::line, RejectedLine::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, LineRejection.UNKNOWN_MODEL),
                        org.assertj.core.groups.Tuple.tuple(2L, LineRejection.UNCOERCIBLE_VALUE));
        assertThat(entries.readRecordsToList()).hasSize(1);
    }

    @Test
    void theCountersOfAnImportArePublishedAndItIsRoutedOnceEveryLineOfTheEndMarkerIsCounted() {
        ndjson(1, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        ndjson(2, "not json");
        assertThat(ImportCounts.fromJson(lastStatus()).state()).isEqualTo(ImportCounts.READING);

        end(3);
        ImportCounts counts = ImportCounts.fromJson(lastStatus());
        assertThat(counts).isEqualTo(new ImportCounts(ID, "t.ndjson", 3L, 1, 1, 0, 0, List.of(), 1L, false));
        assertThat(counts.state()).isEqualTo(ImportCounts.READING);

        ndjson(3, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        counts = ImportCounts.fromJson(lastStatus());
        assertThat(counts).isEqualTo(new ImportCounts(ID, "t.ndjson", 3L, 2, 1, 0, 0, List.of(), 1L, false));
        assertThat(counts.state()).isEqualTo(ImportCounts.ROUTED);
    }

    @Test
    void theCountersNameTheOneTenantOfAllAcceptedLinesAndNoneOnceASecondTenantsLineIsAccepted() {
        model(8, 2, "company");
        ndjson(1, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        ndjson(2, "{\"tenantId\":2,\"model\":\"nope\",\"fields\":{}}"); // rejected: says nothing about tenancy
        ImportCounts counts = ImportCounts.fromJson(lastStatus());
        assertThat(counts.tenantId()).isEqualTo(1L);
        assertThat(counts.mixedTenants()).isFalse();

        ndjson(3, "{\"tenantId\":2,\"model\":\"company\",\"fields\":{}}");
        counts = ImportCounts.fromJson(lastStatus());
        assertThat(counts.tenantId()).isNull();
        assertThat(counts.mixedTenants()).isTrue();
        ndjson(4, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        assertThat(ImportCounts.fromJson(lastStatus()).mixedTenants()).as("mixed stays mixed").isTrue();
    }

    @Test
    void anImportIsLandedOnceEveryAcceptedLineHasItsEntryEventOrDeadLetteredEventCountedOnceEach() {
        ndjson(1, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        ndjson(2, "not json");
        ndjson(3, "{\"tenantId\":1,\"model\":\"company\",\"fields\":{}}");
        end(3);
        assertThat(ImportCounts.fromJson(lastStatus()).state()).isEqualTo(ImportCounts.ROUTED);

        event("{\"eventId\":\"e1\",\"type\":\"created\",\"tenantId\":1,\"modelId\":7,\"entryId\":10,"
                + "\"import\":{\"id\":\"" + ID + "\",\"line\":1}}");
        event("{\"eventId\":\"e1\",\"type\":\"created\",\"tenantId\":1,\"modelId\":7,\"entryId\":10,"
                + "\"import\":{\"id\":\"" + ID + "\",\"line\":1}}"); // the relay published it again
        event("{\"eventId\":\"e9\",\"type\":\"created\",\"tenantId\":1,\"modelId\":7,\"entryId\":11}"); // not an import's
        ImportCounts counts = ImportCounts.fromJson(lastStatus());
        assertThat(counts.landed()).isEqualTo(1);
        assertThat(counts.state()).isEqualTo(ImportCounts.ROUTED);

        event("{\"eventId\":\"e2\",\"type\":\"dead_lettered\",\"tenantId\":1,\"modelId\":0,\"entryId\":0,"
                + "\"import\":{\"id\":\"" + ID + "\",\"line\":3},\"reason\":\"too_large\"}");
        counts = ImportCounts.fromJson(lastStatus());
        assertThat(counts).isEqualTo(new ImportCounts(ID, "t.ndjson", 3L, 2, 1, 1, 1, List.of("3: too_large"), 1L, false));
        assertThat(counts.state()).isEqualTo(ImportCounts.LANDED);
        assertThat(counts.deadLetteredAt()).containsExactly("t.ndjson:3: too_large");
    }

    @Test
    void linesFarApartInOneImportAreCountedSeparately() {
        for (long line : new long[] {1, 1024, 1025, 5_000_000}) {
            event("{\"type\":\"updated\",\"import\":{\"id\":\"" + ID + "\",\"line\":" + line + "}}");
        }
        event("{\"type\":\"updated\",\"import\":{\"id\":\"" + ID + "\",\"line\":1025}}");
        assertThat(ImportCounts.fromJson(lastStatus()).landed()).isEqualTo(4);
    }

    private void event(String json) {
        events.pipeInput("1/10".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    private String lastStatus() {
        Map<String, String> latest = status.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys(ID);
        return latest.get(ID);
    }

    private void ndjson(long line, String text) {
        RecordHeaders h = headers("t.ndjson", "ndjson");
        ImportHeaders.put(h, ImportHeaders.LINE, Long.toString(line));
        imports.pipeInput(new TestRecord<>("1", text.getBytes(StandardCharsets.UTF_8), h));
    }

    private void csv(long line, String header, String text) {
        RecordHeaders h = headers("1/company/t.csv", "csv");
        ImportHeaders.put(h, ImportHeaders.LINE, Long.toString(line));
        ImportHeaders.put(h, ImportHeaders.TENANT, "1");
        ImportHeaders.put(h, ImportHeaders.MODEL, "company");
        ImportHeaders.put(h, ImportHeaders.CSV_HEADER, header);
        imports.pipeInput(new TestRecord<>("1", text.getBytes(StandardCharsets.UTF_8), h));
    }

    private void end(long lines) {
        RecordHeaders h = headers("t.ndjson", "ndjson");
        ImportHeaders.put(h, ImportHeaders.END, Long.toString(lines));
        imports.pipeInput(new TestRecord<>(ID, new byte[0], h));
    }

    private static RecordHeaders headers(String file, String format) {
        RecordHeaders h = new RecordHeaders();
        ImportHeaders.put(h, ImportHeaders.IMPORT_ID, ID);
        ImportHeaders.put(h, ImportHeaders.FILE, file);
        ImportHeaders.put(h, ImportHeaders.FORMAT, format);
        return h;
    }

    private void model(long id, long tenant, String name) {
        change(Op.CREATE, "stardust_models", id, null, modelRow(id, tenant, name));
    }

    private void field(long id, long modelId, String name, String type, boolean filterable) {
        change(Op.CREATE, "stardust_fields", id, null, fieldRow(id, modelId, name, type, filterable));
    }

    private void checkpoint(long id, String job, String status) {
        ObjectNode row = Json.object();
        row.put("id", id);
        row.put("job_name", job);
        row.put("status", status);
        change(Op.UPDATE, "backfill_checkpoints", id, null, row);
    }

    private static ObjectNode modelRow(long id, long tenant, String name) {
        ObjectNode row = Json.object();
        row.put("id", id);
        row.put("tenant_id", tenant);
        row.put("name", name);
        return row;
    }

    private static ObjectNode fieldRow(long id, long modelId, String name, String type, boolean filterable) {
        ObjectNode row = Json.object();
        row.put("id", id);
        row.put("model_id", modelId);
        row.put("name", name);
        row.put("declared_type", type);
        row.put("is_filterable", filterable ? 1 : 0);
        row.putNull("previous_name");
        row.putNull("deleted_at");
        return row;
    }

    private void change(Op op, String table, long id, ObjectNode before, ObjectNode after) {
        ObjectNode key = Json.object();
        key.put("id", id);
        RegistryChange c = new RegistryChange(op, table, key, before, after,
                new SourcePosition("binlog.000001", binlogPos.incrementAndGet(), 0, null, 1, false), Instant.EPOCH);
        registry.pipeInput(RegistryChangeCodec.encodeKey(c), RegistryChangeCodec.encodeValue(c));
    }
}

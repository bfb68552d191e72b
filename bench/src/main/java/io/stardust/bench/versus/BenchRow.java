package io.stardust.bench.versus;

import io.stardust.DeclaredType;
import io.stardust.FieldSpec;
import io.stardust.bench.RawInsertBaseline;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One logical row of the benchmark (tenant 1, model {@code bench}) and its three encodings: the ingest gateway's
 * envelope, Kafka Connect's JsonConverter JSON with schemas (struct key and value), and the raw insert's
 * columns. Deterministic in {@code id}, so every contender gets exactly the same data.
 */
record BenchRow(long id, String name, int qty, LocalDateTime created) {

    static final long TENANT = 1;
    static final String MODEL = "bench";
    /** The model's fields, all filterable (each gets an indexed slot); the id is the entry's external key. */
    static final List<FieldSpec> FIELDS = List.of(new FieldSpec("name", DeclaredType.STRING, true),
            new FieldSpec("qty", DeclaredType.INT, true), new FieldSpec("created", DeclaredType.DATETIME, true));
    /** The slot columns the engine gives those fields on a fresh database, in field order. */
    static final List<String> SLOT_COLUMNS = List.of("i_str_01", "i_int_01", "i_dt_01");

    private static final LocalDateTime EPOCH = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final String KEY_SCHEMA = "{\"type\":\"struct\",\"name\":\"bench.Key\",\"optional\":false,\"fields\":["
            + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false}]}";
    private static final String VALUE_SCHEMA = "{\"type\":\"struct\",\"name\":\"bench.Value\",\"optional\":false,\"fields\":["
            + "{\"field\":\"name\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"qty\",\"type\":\"int32\",\"optional\":false},"
            + "{\"field\":\"created\",\"type\":\"int64\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}]}";

    static BenchRow of(long id) {
        return new BenchRow(id, "customer " + id, (int) (id * 7 % 10_000), EPOCH.plusSeconds(id));
    }

    /** The gateway's input: an upsert of key {@code id} (record key: the tenant id, as the gateway README asks). */
    String envelope() {
        return "{\"tenantId\":" + TENANT + ",\"model\":\"" + MODEL + "\",\"key\":\"" + id + "\",\"fields\":" + fieldsJson() + "}";
    }

    String fieldsJson() {
        return "{\"name\":\"" + name + "\",\"qty\":" + qty + ",\"created\":\"" + created.toInstant(ZoneOffset.UTC) + "\"}";
    }

    /** JsonConverter key with {@code schemas.enable=true}: a struct holding the primary key. */
    String connectKey() {
        return "{\"schema\":" + KEY_SCHEMA + ",\"payload\":{\"id\":" + id + "}}";
    }

    /** JsonConverter value with {@code schemas.enable=true}; {@code created} is a Connect Timestamp (epoch millis). */
    String connectValue() {
        Instant at = created.toInstant(ZoneOffset.UTC);
        return "{\"schema\":" + VALUE_SCHEMA + ",\"payload\":{\"name\":\"" + name + "\",\"qty\":" + qty + ",\"created\":"
                + at.toEpochMilli() + "}}";
    }

    /** The raw insert's entry: same JSON payload as the gateway stores, slot values in {@link #SLOT_COLUMNS} order. */
    RawInsertBaseline.Row rawRow() {
        return new RawInsertBaseline.Row(TENANT, fieldsJson(), List.of(name, (long) qty, created));
    }
}

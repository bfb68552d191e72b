package io.stardust.ingest.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.DatabaseException;
import io.stardust.InvalidTenantIdException;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelNotFoundException;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.engine.json.Json;
import io.stardust.engine.lifecycle.PayloadCanonicaliser;
import io.stardust.engine.text.CanonicalIds;
import io.stardust.engine.text.LoneSurrogates;
import io.stardust.engine.write.KeyedWrites;
import io.stardust.engine.write.ModelRoutes;
import io.stardust.ingest.source.SourceRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns a raw record into an engine operation or a rejection. The input contract (README, and
 * {@code schemas/entry-envelope.schema.json}):
 * <ul>
 *   <li>value {@code {"tenantId": int >= 1, "model": "name" | "modelId": int, "key": "optional", "fields": {...}}}
 *       → upsert by key, or insert when there is no key;</li>
 *   <li>null value with record key {@code tenantId/model/key} (or {@code tenantId/#modelId/key}) → soft delete of
 *       that key's entry (compacted-topic tombstone).</li>
 * </ul>
 * A rejection is a property of the record alone (and of the registry); SQL errors propagate, because they are
 * infrastructure, not the record's fault.
 */
public final class RecordPlanner {
    private final ModelResolver models;
    private final int maxRecordBytes;
    /**
     * Routes of the models seen so far, valid for {@link #routesVersion}: every registry change that can alter a
     * route (slot reserved, field defined, retype, ...) bumps {@code stardust_schema_version}, so a batch whose
     * transaction reads the same version can reuse them instead of loading each model again.
     */
    private final Map<String, ModelRoutes> routesCache = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Lifecycle state (renamed and deleted fields, model being deleted) of the models seen so far, valid for
     * {@link #routesVersion} like the routes: every lifecycle change bumps the version. Measured: a query per
     * record here was half of a 2,000-record batch's time.
     */
    private final Map<Integer, PayloadCanonicaliser.Lifecycle> lifecycleCache = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long routesVersion = -1;

    public RecordPlanner(ModelResolver models, int maxRecordBytes) {
        this.models = models;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The outcome of planning one record. */
    public sealed interface Planned permits Accepted, Rejected {
        SourceRecord source();
    }

    public record Accepted(SourceRecord source, KeyedWrites.Op op) implements Planned {
    }

    public record Rejected(SourceRecord source, RejectReason reason, String message, Long tenantId) implements Planned {
    }

    /**
     * Plans made ahead of a batch's transaction from the caches alone (see {@link #prepare}), valid only for the
     * schema version they were made under; a record missing here is planned in the transaction.
     */
    public static final class Prepared {
        public static final Prepared NONE = new Prepared(-1, Map.of());

        private final long version;
        private final Map<SourceRecord, Planned> plans;

        private Prepared(long version, Map<SourceRecord, Planned> plans) {
            this.version = version;
            this.plans = plans;
        }

        /** How many records were planned ahead. */
        public int size() {
            return plans.size();
        }
    }

    /**
     * Plans these records without MySQL, from the routes, model names and lifecycle state cached for the schema
     * version the last transaction read; a record that would need a query (a model not cached yet, an unknown model)
     * is left to its transaction. This is the CPU part of a batch (JSON decoding, envelope checks, lifecycle,
     * coercion, serialising the stored payload), so a caller can run it for the next batch while the previous one's
     * statements and commit run. {@link Session#plan} uses a plan only if its transaction reads the same version:
     * the state a batch writes under is still the one its own transaction sees. Safe to call from another thread
     * than the transactions': the caches are only filled after the version they belong to is published, and plans
     * made while the version moved are discarded.
     */
    public Prepared prepare(java.util.List<SourceRecord> records) {
        long version = routesVersion;
        if (version < 0) {
            return Prepared.NONE;
        }
        Session ahead = new Session(null, Prepared.NONE);
        Map<SourceRecord, Planned> plans = new java.util.IdentityHashMap<>();
        for (SourceRecord r : records) {
            try {
                Planned p = ahead.plan(r);
                if (p instanceof Accepted a && a.op().insertPlan() != null) {
                    a.op().insertPlan().json();
                }
                plans.put(r, p);
            } catch (NeedsDatabase | SQLException e) {
                // planned in the transaction
            }
        }
        return routesVersion == version ? new Prepared(version, plans) : Prepared.NONE;
    }

    /** Plans records inside one transaction; each model's routes are loaded at most once per schema version. */
    public Session session(Connection c) throws SQLException {
        return session(c, Prepared.NONE);
    }

    /** As {@link #session(Connection)}, reusing the plans of {@code prepared} if they were made under this version. */
    public Session session(Connection c, Prepared prepared) throws SQLException {
        long version = io.stardust.engine.db.Sql.queryLong(c, "SELECT version FROM stardust_schema_version WHERE id = 1", 0);
        if (version != routesVersion) {
            // Cleared before the new version is published, so prepare() never files a stale entry under it.
            routesCache.clear();
            lifecycleCache.clear();
            models.clear();
            routesVersion = version;
        }
        return new Session(c, prepared.version == version ? prepared : Prepared.NONE);
    }

    public final class Session {
        /** Null while planning ahead: a lookup that misses the caches then throws {@link NeedsDatabase}. */
        private final Connection c;
        private final Prepared prepared;
        private final Map<String, ModelRoutes> routes = routesCache;

        private Session(Connection c, Prepared prepared) {
            this.c = c;
            this.prepared = prepared;
        }

        public Planned plan(SourceRecord r) throws SQLException {
            Planned ahead = prepared.plans.get(r);
            if (ahead != null) {
                return ahead;
            }
            try {
                if (r.sizeBytes() > maxRecordBytes) { // tombstones too: a key alone can be any size
                    throw new Reject(RejectReason.TOO_LARGE, "record is " + r.sizeBytes() + " bytes, the limit is " + maxRecordBytes, null);
                }
                return r.value() == null ? planTombstone(r) : planValue(r);
            } catch (Reject e) {
                return new Rejected(r, e.reason, e.getMessage(), e.tenantId);
            } catch (DatabaseException | NeedsDatabase e) {
                throw e;
            } catch (RuntimeException e) {
                // A bug must not stop the partition: quarantine the record with the detail, keep going.
                return new Rejected(r, RejectReason.INTERNAL_ERROR, e.getClass().getName() + ": " + e.getMessage(), null);
            }
        }

        private Planned planValue(SourceRecord r) throws SQLException {
            JsonNode root;
            try {
                root = Json.parse(r.value()); // strict: one value, no duplicate keys, valid UTF-8 (see Json)
            } catch (JsonProcessingException e) {
                throw new Reject(RejectReason.NOT_JSON, "value is not JSON: " + firstLine(e.getOriginalMessage()), null);
            }
            if (root == null || root.isMissingNode()) {
                throw new Reject(RejectReason.NOT_JSON, "value is empty", null);
            }
            if (!root.isObject()) {
                throw malformed("value must be a JSON object, got " + root.getNodeType().name().toLowerCase(), null);
            }
            JsonNode t = root.get("tenantId");
            if (!Json.isInteger(t)) {
                throw malformed("'tenantId' must be a JSON integer", null);
            }
            long tenantId = t.longValue();
            if (tenantId < 1) {
                throw new Reject(RejectReason.INVALID_TENANT, "tenantId must be >= 1, got " + tenantId, tenantId);
            }
            JsonNode name = root.get("model");
            JsonNode id = root.get("modelId");
            boolean hasName = name != null && !name.isNull();
            boolean hasId = id != null && !id.isNull();
            if (hasName == hasId) {
                throw malformed("exactly one of 'model' (name) and 'modelId' is required", tenantId);
            }
            if (hasName && (!name.isTextual() || name.asText().isEmpty())) {
                throw malformed("'model' must be a non-empty string", tenantId);
            }
            if (hasName && LoneSurrogates.indexIn(name.textValue()) >= 0) { // MySQL would look up '?' instead
                throw malformed("'model' " + LoneSurrogates.escape(name.textValue())
                        + " has an unpaired UTF-16 surrogate; text must be valid Unicode", tenantId);
            }
            if (hasId && (!Json.isInteger(id) || id.longValue() < 1 || id.longValue() > Integer.MAX_VALUE)) {
                throw malformed("'modelId' must be a positive 32-bit integer", tenantId);
            }
            JsonNode k = root.get("key");
            String key = null;
            if (k != null && !k.isNull()) {
                if (!k.isTextual()) {
                    throw malformed("'key' must be a string", tenantId);
                }
                key = k.asText();
            }
            ObjectNode fields;
            try {
                fields = io.stardust.EntryPayload.fieldsOf(root, "");
            } catch (MalformedEntryPayloadException e) {
                throw malformed(e.getMessage(), tenantId);
            }
            ModelRoutes route = routes(tenantId, hasName ? resolve(tenantId, name.asText()) : (int) id.longValue());
            try { // the write path's lifecycle step: renamed keys, deleted fields, a model being deleted
                return new Accepted(r, KeyedWrites.upsert(route, key, lifecycle(route.modelId()).apply(fields)));
            } catch (ModelDeletionInProgressException e) {
                throw new Reject(RejectReason.MODEL_DELETION_IN_PROGRESS, e.getMessage(), tenantId);
            } catch (UncoercibleSlotValueException e) {
                throw new Reject(RejectReason.UNCOERCIBLE_VALUE, e.getMessage(), tenantId);
            } catch (MalformedEntryPayloadException e) {
                throw malformed(e.getMessage(), tenantId);
            }
        }

        private Planned planTombstone(SourceRecord r) throws SQLException {
            String text = r.key() == null ? null : utf8(r.key());
            int first = text == null ? -1 : text.indexOf('/');
            int second = first < 0 ? -1 : text.indexOf('/', first + 1);
            if (second < 0 || second == text.length() - 1) {
                throw new Reject(RejectReason.MALFORMED_TOMBSTONE_KEY,
                        "a record with a null value needs the key tenantId/model/key, got " + abbreviate(text), null);
            }
            // Canonical ids only: "+1" or a fullwidth "１" would name tenant 1 from another partition
            // (TenantPartitioner hashes the text), breaking the tenant's offset order.
            OptionalLong tenant = CanonicalIds.tryParse(text.substring(0, first));
            if (tenant.isEmpty()) {
                throw new Reject(RejectReason.MALFORMED_TOMBSTONE_KEY, "tombstone key does not start with a tenant id"
                        + " written [1-9][0-9]*: " + abbreviate(text), null);
            }
            long tenantId = tenant.getAsLong();
            String model = text.substring(first + 1, second);
            String key = text.substring(second + 1);
            int modelId;
            if (model.startsWith("#")) {
                OptionalLong id = CanonicalIds.tryParse(model.substring(1));
                if (id.isEmpty() || id.getAsLong() > Integer.MAX_VALUE) {
                    throw new Reject(RejectReason.MALFORMED_TOMBSTONE_KEY, "'" + model
                            + "' is not #<modelId> with a model id written [1-9][0-9]*", tenantId);
                }
                modelId = (int) id.getAsLong();
            } else {
                modelId = resolve(tenantId, model);
            }
            ModelRoutes route = routes(tenantId, modelId);
            try {
                lifecycle(route.modelId()).requireLive();
                return new Accepted(r, KeyedWrites.delete(tenantId, route.modelId(), key));
            } catch (ModelDeletionInProgressException e) {
                throw new Reject(RejectReason.MODEL_DELETION_IN_PROGRESS, e.getMessage(), tenantId);
            } catch (MalformedEntryPayloadException e) {
                throw new Reject(RejectReason.MALFORMED_TOMBSTONE_KEY, e.getMessage(), tenantId);
            }
        }

        private int resolve(long tenantId, String name) throws SQLException {
            if (c == null) {
                OptionalInt cached = models.cached(tenantId, name);
                if (cached.isEmpty()) {
                    throw NeedsDatabase.INSTANCE;
                }
                return cached.getAsInt();
            }
            OptionalInt id = models.byName(c, tenantId, name);
            if (id.isEmpty()) {
                throw unknown(tenantId, "model '" + name + "' does not exist for tenant " + tenantId);
            }
            return id.getAsInt();
        }

        private PayloadCanonicaliser.Lifecycle lifecycle(int modelId) throws SQLException {
            PayloadCanonicaliser.Lifecycle l = lifecycleCache.get(modelId);
            if (l == null && c == null) {
                throw NeedsDatabase.INSTANCE;
            }
            if (l == null) {
                l = PayloadCanonicaliser.load(c, modelId);
                lifecycleCache.put(modelId, l);
            }
            return l;
        }

        private ModelRoutes routes(long tenantId, int modelId) throws SQLException {
            String cacheKey = tenantId + "/" + modelId;
            ModelRoutes r = routes.get(cacheKey);
            if (r == null && c == null) {
                throw NeedsDatabase.INSTANCE;
            }
            if (r == null) {
                try {
                    r = ModelRoutes.load(c, tenantId, modelId);
                } catch (ModelNotFoundException e) {
                    throw unknown(tenantId, e.getMessage());
                } catch (InvalidTenantIdException e) {
                    throw new Reject(RejectReason.INVALID_TENANT, e.getMessage(), tenantId);
                }
                routes.put(cacheKey, r);
            }
            return r;
        }

        private Reject unknown(long tenantId, String message) throws SQLException {
            return models.tenantKnown(c, tenantId)
                    ? new Reject(RejectReason.UNKNOWN_MODEL, message, tenantId)
                    : new Reject(RejectReason.UNKNOWN_TENANT, "tenant " + tenantId + " has no models (" + message + ")", tenantId);
        }
    }

    private static Reject malformed(String message, Long tenantId) {
        return new Reject(RejectReason.MALFORMED_ENVELOPE, message, tenantId);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "...'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Planning ahead met a lookup the caches cannot answer: the record is planned in its transaction. */
    private static final class NeedsDatabase extends RuntimeException {
        static final NeedsDatabase INSTANCE = new NeedsDatabase();

        private NeedsDatabase() {
            super("needs a query", null, false, false);
        }
    }

    /** Control flow inside planning only; never escapes {@link Session#plan}. */
    private static final class Reject extends RuntimeException {
        private final transient RejectReason reason;
        private final Long tenantId;

        Reject(RejectReason reason, String message, Long tenantId) {
            super(message, null, false, false);
            this.reason = reason;
            this.tenantId = tenantId;
        }
    }
}

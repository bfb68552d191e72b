package io.stardust.streams.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.EntryPayload;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.engine.json.Json;
import io.stardust.engine.write.ValueCoercer;
import io.stardust.streams.registry.FieldInfo;
import io.stardust.streams.registry.RegistryView;
import io.stardust.streams.topology.LineOutcome.Accepted;
import io.stardust.streams.topology.LineOutcome.Rejected;
import io.stardust.streams.wire.LineRejection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides for one line whether the gateway can write it: the envelope's shape (the gateway's input contract), the
 * model against the registry index, the model not being deleted, and every filterable field's value coercible to
 * the declared type (the engine's {@link ValueCoercer}, the same rule as every write). A CSV row becomes the
 * envelope {@code {"tenantId":T,"model":M,"fields":{header: cell, ...}}}; an empty cell is an absent field.
 * What the gateway re-checks at write time (a registry change between validation and write) still ends in its DLQ.
 */
final class LineValidator {
    private static final Pattern CANONICAL_ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final RegistryView registry;
    /** The last CSV header row parsed: a file's rows arrive together and share it. */
    private String lastHeaderText;
    private List<String> lastHeader;

    LineValidator(RegistryView registry) {
        this.registry = registry;
    }

    LineOutcome validate(ImportLine line) {
        if (line.oversizedBytes() != null) {
            return new Rejected(LineRejection.TOO_LARGE, "line is " + line.oversizedBytes()
                    + " bytes, longer than importMaxLineBytes");
        }
        try {
            return ImportLine.CSV.equals(line.format()) ? csv(line) : ndjson(line);
        } catch (Reject r) {
            return new Rejected(r.reason, r.getMessage());
        }
    }

    private LineOutcome ndjson(ImportLine line) {
        JsonNode root;
        try {
            root = Json.parse(line.value()); // the gateway's strict rules: one value, no duplicate keys, valid UTF-8
        } catch (JsonProcessingException e) {
            throw new Reject(LineRejection.NOT_JSON, "line is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode()) {
            throw new Reject(LineRejection.NOT_JSON, "line is empty");
        }
        if (!root.isObject()) {
            throw malformed("line must be a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        JsonNode t = root.get("tenantId");
        if (!Json.isInteger(t)) {
            throw malformed("'tenantId' must be a JSON integer");
        }
        long tenantId = t.longValue();
        if (tenantId < 1) {
            throw new Reject(LineRejection.INVALID_TENANT, "tenantId must be >= 1, got " + tenantId);
        }
        JsonNode name = root.get("model");
        JsonNode id = root.get("modelId");
        boolean hasName = name != null && !name.isNull();
        boolean hasId = id != null && !id.isNull();
        if (hasName == hasId) {
            throw malformed("exactly one of 'model' (name) and 'modelId' is required");
        }
        if (hasName && (!name.isTextual() || name.asText().isEmpty())) {
            throw malformed("'model' must be a non-empty string");
        }
        if (hasId && (!Json.isInteger(id) || id.longValue() < 1 || id.longValue() > Integer.MAX_VALUE)) {
            throw malformed("'modelId' must be a positive 32-bit integer");
        }
        JsonNode key = root.get("key");
        if (key != null && !key.isNull() && !key.isTextual()) {
            throw malformed("'key' must be a string");
        }
        ObjectNode fields;
        try {
            fields = EntryPayload.fieldsOf(root, "");
        } catch (MalformedEntryPayloadException e) {
            throw malformed(e.getMessage());
        }
        long modelId = hasName ? resolve(tenantId, registry.modelByName(tenantId, name.asText()), "'" + name.asText() + "'")
                : resolve(tenantId, registry.modelById(tenantId, id.longValue()), "#" + id.longValue());
        checkValues(modelId, fields);
        return new Accepted(tenantId, line.value());
    }

    private LineOutcome csv(ImportLine line) {
        if (line.tenant() == null || !CANONICAL_ID.matcher(line.tenant()).matches()) {
            throw new Reject(LineRejection.INVALID_TENANT, "a CSV file's directory must be <tenantId>/<model>/ with a"
                    + " tenant id written [1-9][0-9]*, got '" + line.tenant() + "'");
        }
        long tenantId = Long.parseLong(line.tenant());
        List<String> header;
        List<String> cells;
        try {
            header = header(line.csvHeader() == null ? "" : line.csvHeader());
        } catch (CsvRow.MalformedCsvException e) {
            throw new Reject(LineRejection.MALFORMED_CSV, "header row: " + e.getMessage());
        }
        try {
            cells = CsvRow.parse(new String(line.value(), StandardCharsets.UTF_8));
        } catch (CsvRow.MalformedCsvException e) {
            throw new Reject(LineRejection.MALFORMED_CSV, e.getMessage());
        }
        if (cells.size() != header.size()) {
            throw new Reject(LineRejection.WRONG_COLUMN_COUNT, "row has " + cells.size() + " cells, the header row names "
                    + header.size() + " columns");
        }
        long modelId = resolve(tenantId, registry.modelByName(tenantId, line.model()), "'" + line.model() + "'");
        Map<String, FieldInfo> filterable = filterableByName(modelId);
        ObjectNode fields = Json.object();
        for (int i = 0; i < header.size(); i++) {
            String cell = cells.get(i);
            if (!cell.isEmpty()) {
                FieldInfo f = filterable.get(header.get(i));
                boolean numeric = f != null && (f.type() == io.stardust.DeclaredType.INT || f.type() == io.stardust.DeclaredType.NUMERIC);
                fields.set(header.get(i), numeric && JSON_NUMBER.matcher(cell).matches() ? number(cell) : fields.textNode(cell));
            }
        }
        checkValues(modelId, fields);
        ObjectNode envelope = Json.object();
        envelope.put("tenantId", tenantId);
        envelope.put("model", line.model());
        envelope.set("fields", fields);
        return new Accepted(tenantId, Json.write(envelope).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> header(String text) {
        if (!text.equals(lastHeaderText)) {
            lastHeader = CsvRow.parse(text);
            lastHeaderText = text;
        }
        return lastHeader;
    }

    private long resolve(long tenantId, Optional<Long> model, String named) {
        if (model.isEmpty()) {
            throw registry.tenantHasModels(tenantId)
                    ? new Reject(LineRejection.UNKNOWN_MODEL, "model " + named + " does not exist for tenant " + tenantId)
                    : new Reject(LineRejection.UNKNOWN_TENANT, "tenant " + tenantId + " has no models (model " + named + ")");
        }
        if (registry.beingDeleted(model.get())) {
            throw new Reject(LineRejection.MODEL_DELETION_IN_PROGRESS, "model " + named + " of tenant " + tenantId
                    + " is being deleted");
        }
        return model.get();
    }

    private void checkValues(long modelId, ObjectNode fields) {
        for (Map.Entry<String, FieldInfo> f : filterableByName(modelId).entrySet()) {
            JsonNode v = fields.get(f.getKey());
            if (v != null) {
                try {
                    ValueCoercer.coerce(f.getKey(), f.getValue().type(), v);
                } catch (UncoercibleSlotValueException e) {
                    throw new Reject(LineRejection.UNCOERCIBLE_VALUE, e.getMessage());
                }
            }
        }
    }

    /** Filterable fields by name, and by the previous name while a rename is being rewritten (writes accept both). */
    private Map<String, FieldInfo> filterableByName(long modelId) {
        Map<String, FieldInfo> out = new HashMap<>();
        for (FieldInfo f : registry.fields(modelId)) {
            if (f.filterable()) {
                out.put(f.name(), f);
                if (f.previousName() != null) {
                    out.putIfAbsent(f.previousName(), f);
                }
            }
        }
        return out;
    }

    private static JsonNode number(String cell) {
        try {
            return Json.parse(cell);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cell matching the JSON number grammar did not parse: " + cell, e);
        }
    }

    private static Reject malformed(String message) {
        return new Reject(LineRejection.MALFORMED_ENVELOPE, message);
    }

    private static final class Reject extends RuntimeException {
        private final LineRejection reason;

        Reject(LineRejection reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}

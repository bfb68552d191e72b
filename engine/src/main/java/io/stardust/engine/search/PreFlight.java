package io.stardust.engine.search;

import io.stardust.EntrySearchDriver;
import io.stardust.FieldNotFilterableException;
import io.stardust.FieldNotIndexedException;
import io.stardust.QueryFilterValidationException;
import io.stardust.SlotStatus;
import io.stardust.UnknownFieldException;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.json.Json;
import io.stardust.engine.read.SchemaSnapshot;
import io.stardust.engine.read.SchemaSnapshot.FieldDescriptor;
import io.stardust.filter.FieldRef;
import io.stardust.filter.FilterNode;
import io.stardust.filter.FilterValue;
import io.stardust.filter.LeafNode;
import io.stardust.filter.Operators;
import io.stardust.filter.ValidationErrorCode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Validates a filter against the registry before any entry data is touched. Three stages, each walking
 * the whole tree depth-first, left to right, before the next starts, so the first offending leaf of the earliest
 * stage wins:
 * <ol>
 *   <li><b>resolution</b>: the leaf's field exists in the request's model ({@link UnknownFieldException}); a leaf
 *       naming another model in {@code field.model} is unknown too (upstream ignored the model name, quirk Q3);
 *       which names denote the request's model is the caller's answer, from the registry's name rule;</li>
 *   <li><b>capability</b>: the driver supports the operator ({@code capability_unsupported}) and can filter the
 *       field now: {@link FieldNotFilterableException} for a field not declared filterable,
 *       {@link FieldNotIndexedException} for a filterable one whose slot is backfilling, tombstoned or unmapped
 *       (upstream raised the former for both, quirk Q1);</li>
 *   <li><b>value typing</b>: each value, and each list element, suits the field's declared type
 *       ({@code value_type_mismatch}, {@code value_out_of_bounds}).</li>
 * </ol>
 * Resolution always uses MySQL's registry snapshot, whatever the driver. Errors carry the JSON Pointer of the
 * offending part of the leaf when it came from the wire format (upstream always used {@code ""}, quirk Q2):
 * {@code /field/name}, {@code /field/model}, {@code /op}, {@code /value} or {@code /value/<i>}. For {@code in} and
 * {@code nin} the pointer is {@code /value}, because the decoder de-duplicated the list and AST positions may no
 * longer be wire positions. Every rejection is logged ({@code pre_flight_rejected} or
 * {@code capability_unsupported}) and runs no SQL.
 *
 * <p>Stateless and thread-safe.
 */
public final class PreFlight {
    private final int maxStringLength;
    private final EventLog events = new EventLog("api");

    public PreFlight(int maxStringLength) {
        this.maxStringLength = maxStringLength;
    }

    /** Who asked, for the rejection events. */
    public record Context(String correlationId, long tenantId) {
    }

    /**
     * @param filter   a non-null filter
     * @param snapshot the request model's registry snapshot
     * @param driver   the active search driver
     * @param requestModel whether a leaf's {@code field.model} names the request's model (the registry's name rule)
     * @throws QueryFilterValidationException (or one of its field subclasses) on the first violation
     */
    public void check(FilterNode filter, SchemaSnapshot snapshot, EntrySearchDriver driver, Context ctx,
                      Predicate<String> requestModel) {
        List<LeafNode> leaves = filter.leaves();
        for (LeafNode leaf : leaves) {
            resolve(leaf, snapshot, ctx, requestModel);
        }
        Set<String> operators = new HashSet<>(driver.supportedOperators());
        for (LeafNode leaf : leaves) {
            checkCapability(leaf, snapshot.field(leaf.field().fieldName()), operators, driver, ctx);
        }
        for (LeafNode leaf : leaves) {
            checkValues(leaf, snapshot.field(leaf.field().fieldName()), ctx);
        }
    }

    private void resolve(LeafNode leaf, SchemaSnapshot snapshot, Context ctx, Predicate<String> requestModel) {
        FieldRef ref = leaf.field();
        if (!ref.isLocal() && !requestModel.test(ref.modelName())) {
            rejected(ctx, "field_unknown", ref.fieldName());
            throw new UnknownFieldException(leaf.pointerTo("/field/model"), "field '" + ref.fieldName()
                    + "' names model '" + ref.modelName() + "', but the request is for model '"
                    + snapshot.modelName() + "'", details("model", ref.modelName(), "name", ref.fieldName()));
        }
        if (snapshot.field(ref.fieldName()) == null) {
            rejected(ctx, "field_unknown", ref.fieldName());
            throw new UnknownFieldException(leaf.pointerTo("/field/name"), "model '" + snapshot.modelName()
                    + "' has no field '" + ref.fieldName() + "'", details("model", snapshot.modelName(), "name",
                    ref.fieldName()));
        }
    }

    private void checkCapability(LeafNode leaf, FieldDescriptor field, Set<String> operators, EntrySearchDriver driver,
                                 Context ctx) {
        String op = leaf.operator();
        if (!operators.contains(op)) {
            String driverClass = driver.getClass().getName();
            events.warning("capability_unsupported", "correlation_id", ctx.correlationId(), "tenant_id",
                    ctx.tenantId(), "operator", op, "field_name", field.name(), "driver_class", driverClass);
            throw new QueryFilterValidationException(ValidationErrorCode.CAPABILITY_UNSUPPORTED, leaf.pointerTo("/op"),
                    "the search driver does not support operator '" + op + "'",
                    details("operator", op, "field_name", field.name(), "driver_class", driverClass));
        }
        boolean supported = driver instanceof SnapshotFilterCapability native_
                ? native_.supportsFilterOn(field) : driver.supportsFilterOn(field.fieldId());
        if (supported) {
            return;
        }
        rejected(ctx, "field_not_filterable", field.name());
        String pointer = leaf.pointerTo("/field/name");
        if (!field.filterable()) {
            throw new FieldNotFilterableException(pointer, "field '" + field.name() + "' is not filterable",
                    details("field_name", field.name()));
        }
        String state = slotState(field);
        if (!state.equals("ready") && !state.equals("assigned")) {
            throw new FieldNotIndexedException(pointer, "field '" + field.name() + "' cannot be filtered while its"
                    + " slot is " + state + "; it can be once the slot is ready",
                    details("field_name", field.name(), "slot_status", state));
        }
        // Indexed in MySQL, but the injected driver refuses it.
        throw new FieldNotFilterableException(pointer, "the search driver cannot filter on field '" + field.name()
                + "'", details("field_name", field.name()));
    }

    /** The slot state a filter sees: the live slot's status, or {@code unmapped} when the field holds none. */
    private static String slotState(FieldDescriptor field) {
        SlotStatus status = field.slotStatus();
        return status == null || field.slotColumn() == null ? "unmapped" : status.wireName();
    }

    private void checkValues(LeafNode leaf, FieldDescriptor field, Context ctx) {
        FilterValue value = leaf.value();
        if (value == null || Operators.isPresence(leaf.operator())) {
            return;
        }
        if (value instanceof FilterValue.ListValue list) {
            boolean positional = !Operators.isSet(leaf.operator());
            for (int i = 0; i < list.size(); i++) {
                checkValue(list.values().get(i), field, positional ? leaf.pointerTo("/value/" + i)
                        : leaf.pointerTo("/value"), ctx);
            }
        } else {
            checkValue((FilterValue.Scalar) value, field, leaf.pointerTo("/value"), ctx);
        }
    }

    private void checkValue(FilterValue.Scalar v, FieldDescriptor field, String pointer, Context ctx) {
        switch (field.type()) {
            case STRING:
                if (!(v instanceof FilterValue.StringValue s)) {
                    throw mismatch(v, field, pointer, ctx);
                }
                int length = Json.codePoints(s.value());
                if (length > maxStringLength) {
                    throw outOfBounds(field, pointer, ctx, "string value of " + length + " characters exceeds the limit of "
                            + maxStringLength, details("observed", length, "limit", maxStringLength));
                }
                return;
            case INT:
                if (v instanceof FilterValue.IntegerValue) {
                    return;
                }
                if (v instanceof FilterValue.FloatValue f && Double.isFinite(f.value())
                        && f.value() == Math.rint(f.value())) {
                    // 2^63 is the first double above Long.MAX_VALUE; -2^63 itself fits.
                    if (f.value() >= 0x1p63 || f.value() < -0x1p63) {
                        throw outOfBounds(field, pointer, ctx, "value " + f.value() + " is outside the int64 range",
                                details("observed", f.value()));
                    }
                    return;
                }
                throw mismatch(v, field, pointer, ctx);
            case NUMERIC:
                if (v instanceof FilterValue.IntegerValue
                        || (v instanceof FilterValue.FloatValue f && Double.isFinite(f.value()))) {
                    return;
                }
                throw mismatch(v, field, pointer, ctx);
            case DATETIME:
                if (!(v instanceof FilterValue.StringValue s) || FilterDatetimes.parse(s.value()).isEmpty()) {
                    throw mismatch(v, field, pointer, ctx);
                }
                try {
                    FilterDatetimes.toUtcSql(s.value());
                } catch (IllegalArgumentException e) {
                    throw outOfBounds(field, pointer, ctx, "date-time " + s.value()
                            + " is outside years 0000-9999 in UTC", details("observed", s.value()));
                }
                return;
            default:
                throw new IllegalStateException("unhandled declared type " + field.type());
        }
    }

    private QueryFilterValidationException mismatch(FilterValue.Scalar v, FieldDescriptor field, String pointer,
                                                    Context ctx) {
        rejected(ctx, "value_type_mismatch", field.name());
        String received = typeName(v);
        String expected = field.type().wireName();
        String hint = expected.equals("datetime") ? " (" + FilterDatetimes.FORMS + ")" : "";
        return new QueryFilterValidationException(ValidationErrorCode.VALUE_TYPE_MISMATCH, pointer,
                "field '" + field.name() + "' is " + expected + hint + "; got " + received + " " + display(v),
                details("expected", expected, "received", received));
    }

    private QueryFilterValidationException outOfBounds(FieldDescriptor field, String pointer, Context ctx, String message,
                                                       Map<String, Object> details) {
        rejected(ctx, "value_out_of_bounds", field.name());
        return new QueryFilterValidationException(ValidationErrorCode.VALUE_OUT_OF_BOUNDS, pointer,
                "field '" + field.name() + "': " + message, details);
    }

    private void rejected(Context ctx, String reason, String fieldName) {
        events.warning("pre_flight_rejected", "correlation_id", ctx.correlationId(), "tenant_id", ctx.tenantId(),
                "reason", reason, "field_name", fieldName);
    }

    /** PHP's debug type names, which upstream's details used: int, float, string, bool. */
    static String typeName(FilterValue.Scalar v) {
        if (v instanceof FilterValue.IntegerValue) {
            return "int";
        }
        if (v instanceof FilterValue.FloatValue) {
            return "float";
        }
        if (v instanceof FilterValue.BooleanValue) {
            return "bool";
        }
        return "string";
    }

    private static String display(FilterValue.Scalar v) {
        String text = String.valueOf(v.toJava());
        text = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return v instanceof FilterValue.StringValue ? "\"" + text + "\"" : text;
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}

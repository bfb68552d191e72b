package io.stardust.filter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.stardust.engine.json.Json;

/**
 * Writes a {@link FilterNode} back in the wire format, e.g. for {@code filter:check} to print the decoded AST.
 * Decoding the output gives an equal tree, with two caveats: a leaf built with {@link FieldRef#local} has an empty
 * model name, which the decoder refuses; and {@code in} lists come out already de-duplicated.
 */
public final class JsonFilterEncoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonFilterEncoder() {
    }

    /** The node object, e.g. {@code {"op":"eq","field":{"model":"m","name":"f"},"value":1}}. */
    public static ObjectNode toWireJson(FilterNode node) {
        ObjectNode out = NODES.objectNode();
        if (node instanceof AndNode and) {
            out.put("op", Operators.AND);
            ArrayNode args = out.putArray("args");
            and.args().forEach(a -> args.add(toWireJson(a)));
        } else if (node instanceof OrNode or) {
            out.put("op", Operators.OR);
            ArrayNode args = out.putArray("args");
            or.args().forEach(a -> args.add(toWireJson(a)));
        } else if (node instanceof NotNode not) {
            out.put("op", Operators.NOT);
            out.set("arg", toWireJson(not.arg()));
        } else {
            LeafNode leaf = (LeafNode) node;
            out.put("op", leaf.operator());
            ObjectNode field = out.putObject("field");
            field.put("model", leaf.field().modelName());
            field.put("name", leaf.field().fieldName());
            if (leaf.value() instanceof FilterValue.ListValue list) {
                ArrayNode values = out.putArray("value");
                list.values().forEach(v -> addScalar(values, v));
            } else if (leaf.value() instanceof FilterValue.Scalar scalar) {
                ArrayNode holder = NODES.arrayNode();
                addScalar(holder, scalar);
                out.set("value", holder.get(0));
            }
        }
        return out;
    }

    /** A whole envelope {@code {"version":"1","filter":…}}; a null filter gives {@code {"version":"1"}}. */
    public static ObjectNode toWireDocument(FilterNode filter) {
        ObjectNode out = NODES.objectNode();
        out.put("version", "1");
        if (filter != null) {
            out.set("filter", toWireJson(filter));
        }
        return out;
    }

    /** {@link #toWireDocument} as JSON text. */
    public static String toWireText(FilterNode filter) {
        return Json.write(toWireDocument(filter));
    }

    private static void addScalar(ArrayNode target, FilterValue.Scalar v) {
        if (v instanceof FilterValue.StringValue s) {
            target.add(s.value());
        } else if (v instanceof FilterValue.IntegerValue i) {
            target.add(i.value());
        } else if (v instanceof FilterValue.BooleanValue b) {
            target.add(b.value());
        } else {
            double d = ((FilterValue.FloatValue) v).value();
            if (Double.isInfinite(d)) {
                // JSON has no infinity; an out-of-range literal decodes back to it, as 1e400 did on the way in.
                target.addRawValue(new RawValue(d > 0 ? "1e999" : "-1e999"));
            } else {
                // A DoubleNode always prints a fraction or exponent (5.0), so the value stays a float on re-decode.
                target.add(d);
            }
        }
    }
}

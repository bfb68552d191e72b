package io.stardust.chronicler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stardust.ExportFormat;
import io.stardust.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns the rows of an export into artifact bytes. Pure and deterministic: the same rows give the same bytes, which
 * is what lets a resumed job append to its partial artifact and end byte-identical to an uninterrupted run.
 * Columns are the job's fields in order; a column the row lacks is null.
 */
abstract class RowEncoder {
    final List<String> columns;

    RowEncoder(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    static RowEncoder of(ExportFormat format, List<String> columns) {
        return switch (format) {
            case CSV -> new Csv(columns);
            case JSON -> new JsonArray(columns);
            case NDJSON -> new Ndjson(columns);
        };
    }

    /** What the artifact starts with. */
    abstract byte[] open();

    /** One row; {@code first}: no row precedes it in the artifact. */
    abstract byte[] row(ObjectNode fields, boolean first) throws RowEncodingException;

    /** What the artifact ends with. */
    abstract byte[] close();

    /** The row as an object of exactly the columns, in column order. */
    ObjectNode project(ObjectNode fields) {
        ObjectNode out = Json.object();
        for (String c : columns) {
            JsonNode v = fields.get(c);
            out.set(c, v == null ? out.nullNode() : v);
        }
        return out;
    }

    /** RFC 4180, CRLF line ends; a cell is quoted iff it holds a comma, quote, CR or LF; a NUL cannot be written. */
    static final class Csv extends RowEncoder {
        Csv(List<String> columns) {
            super(columns);
        }

        @Override
        byte[] open() {
            if (columns.isEmpty()) {
                return new byte[0];
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                line.append(quote(columns.get(i)));
            }
            return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        byte[] row(ObjectNode fields, boolean first) throws RowEncodingException {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                String cell = text(fields.get(columns.get(i)));
                if (cell.indexOf('\0') >= 0) {
                    throw new RowEncodingException("format_invalid");
                }
                line.append(quote(cell));
            }
            return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        byte[] close() {
            return new byte[0];
        }

        private static String text(JsonNode v) {
            if (v == null || v.isNull() || v.isMissingNode()) {
                return "";
            }
            if (v.isTextual()) {
                return v.textValue();
            }
            if (v.isBoolean()) {
                return v.booleanValue() ? "true" : "false";
            }
            if (v.isIntegralNumber()) {
                return v.bigIntegerValue().toString();
            }
            if (v.isNumber()) {
                return Json.formatDouble(v.doubleValue());
            }
            return Json.write(v);
        }

        private static String quote(String cell) {
            if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\r') < 0 && cell.indexOf('\n') < 0) {
                return cell;
            }
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
    }

    /** One JSON array: {@code [} at open, rows separated by {@code ,}, {@code ]} at close. */
    static final class JsonArray extends RowEncoder {
        JsonArray(List<String> columns) {
            super(columns);
        }

        @Override
        byte[] open() {
            return new byte[] {'['};
        }

        @Override
        byte[] row(ObjectNode fields, boolean first) throws RowEncodingException {
            byte[] json = encode(project(fields));
            if (first) {
                return json;
            }
            byte[] out = new byte[json.length + 1];
            out[0] = ',';
            System.arraycopy(json, 0, out, 1, json.length);
            return out;
        }

        @Override
        byte[] close() {
            return new byte[] {']'};
        }
    }

    /** One compact JSON object per line, LF-terminated. */
    static final class Ndjson extends RowEncoder {
        Ndjson(List<String> columns) {
            super(columns);
        }

        @Override
        byte[] open() {
            return new byte[0];
        }

        @Override
        byte[] row(ObjectNode fields, boolean first) throws RowEncodingException {
            byte[] json = encode(project(fields));
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        }

        @Override
        byte[] close() {
            return new byte[0];
        }
    }

    /** Compact UTF-8 JSON; a lone surrogate (which UTF-8 cannot carry) makes the row unrepresentable. */
    static byte[] encode(ObjectNode row) throws RowEncodingException {
        String text = Json.write(row);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new RowEncodingException("unrepresentable_codepoint");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.stardust.engine.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The input rules Jackson has no switch for, applied to every token of every document {@link Json} reads:
 * <ul>
 *   <li>one JSON value per document: any token after it is an error (Jackson's trailing-token check, with a message
 *       that says where the extra content starts);</li>
 *   <li>a number literal is at most {@link Json#MAX_NUMBER_LENGTH} characters, reported with its JSON Pointer;</li>
 *   <li>a float a double cannot hold ({@code 1e400} would become Infinity, {@code 1e-400} zero) is read as a
 *       {@code BigDecimal}, so the engine can reject it naming the field instead of storing a different number.</li>
 * </ul>
 */
final class StrictJsonParser extends JsonParserDelegate {
    private boolean rootDone;

    StrictJsonParser(JsonParser delegate) {
        super(delegate);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t;
        try {
            t = delegate.nextToken();
        } catch (JsonParseException e) {
            throw rootDone ? trailing(delegate.currentTokenLocation()) : e;
        }
        if (t == null) {
            return null;
        }
        if (rootDone) {
            throw trailing(delegate.currentTokenLocation());
        }
        if (t.isNumeric()) {
            checkLength();
        }
        if ((t.isScalarValue() || t.isStructEnd()) && delegate.getParsingContext().inRoot()) {
            rootDone = true;
        }
        return t;
    }

    /** Through {@link #nextToken} (the delegate's own would bypass the checks). */
    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public NumberTypeFP getNumberTypeFP() throws IOException {
        if (currentToken() == JsonToken.VALUE_NUMBER_FLOAT && !fitsDouble()) {
            return NumberTypeFP.BIG_DECIMAL;
        }
        return delegate.getNumberTypeFP();
    }

    @Override
    public BigDecimal getDecimalValue() throws IOException {
        try {
            return delegate.getDecimalValue();
        } catch (NumberFormatException e) { // an exponent beyond int range: no BigDecimal either
            throw new JsonParseException(this, "number " + abbreviate(getText()) + " is out of every numeric range");
        }
    }

    private boolean fitsDouble() throws IOException {
        double d = delegate.getDoubleValue();
        if (Double.isInfinite(d)) {
            return false;
        }
        return d != 0 || !hasNonZeroDigit(delegate.getText());
    }

    /** True when the significand of a float literal is not zero (its exponent does not matter for that). */
    private static boolean hasNonZeroDigit(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private void checkLength() throws IOException {
        int length = delegate.getTextLength();
        if (length > Json.MAX_NUMBER_LENGTH) {
            String pointer = delegate.getParsingContext().pathAsPointer().toString();
            // A limit, like Jackson's own depth and length limits: valid JSON the engine declines to read.
            throw new StreamConstraintsException("number of " + length + " characters at "
                    + (pointer.isEmpty() ? "the root" : pointer) + ": at most " + Json.MAX_NUMBER_LENGTH + " are allowed",
                    delegate.currentTokenLocation());
        }
    }

    private JsonParseException trailing(JsonLocation where) {
        String at = where == null || where.getCharOffset() < 0 ? "" : " at character " + (where.getCharOffset() + 1);
        return new JsonParseException(this, "unexpected content after the JSON value" + at
                + " (a document is exactly one value)");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}

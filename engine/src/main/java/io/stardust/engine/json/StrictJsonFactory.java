package io.stardust.engine.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import io.stardust.engine.text.StrictUtf8;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Jackson's factory with every blocking parser wrapped in {@link StrictJsonParser}, and byte input decoded as strict
 * UTF-8 first: Jackson's own byte parser accepts overlong forms (C0 80 reads as U+0000) and encoded surrogates.
 * JSON is UTF-8 (RFC 8259), so there is no encoding detection: UTF-16 input and a byte-order mark are errors.
 */
final class StrictJsonFactory extends JsonFactory {
    StrictJsonFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    private StrictJsonFactory(StrictJsonFactory src) {
        super(src, null);
    }

    @Override
    public JsonFactory copy() {
        return new StrictJsonFactory(this);
    }

    @Override
    protected JsonParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable)
            throws IOException {
        return new StrictJsonParser(super._createParser(data, offset, len, ctxt, recyclable));
    }

    @Override
    protected JsonParser _createParser(Reader r, IOContext ctxt) throws IOException {
        return new StrictJsonParser(super._createParser(r, ctxt));
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
        char[] text;
        try {
            text = StrictUtf8.decode(data, offset, len);
        } catch (StrictUtf8.InvalidUtf8Exception e) {
            throw new JsonParseException((JsonParser) null, e.getMessage());
        }
        return _createParser(text, 0, text.length, ctxt, false);
    }

    /** The whole stream, then as bytes: every document read here becomes a tree in memory anyway. */
    @Override
    protected JsonParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } finally {
            if (ctxt.isResourceManaged()) {
                in.close();
            }
        }
        return _createParser(bytes, 0, bytes.length, ctxt);
    }

    @Override
    protected JsonParser _createParser(DataInput input, IOContext ctxt) {
        throw new UnsupportedOperationException("JSON is read from text, bytes or streams, not DataInput");
    }
}

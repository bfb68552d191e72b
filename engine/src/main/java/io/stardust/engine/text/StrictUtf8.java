package io.stardust.engine.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and refuses anything that is not well-formed (overlong forms, encoded surrogates, bytes above
 * U+10FFFF, truncated sequences). The JDK's default decoding and Jackson's byte parser both let some of these through
 * as replacement characters or wrong code points, which would store text the sender never wrote.
 */
public final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** The decoded characters of {@code bytes[offset, offset + length)}. */
    public static char[] decode(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length); // UTF-8 never yields more UTF-16 units than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position() - offset;
            throw new InvalidUtf8Exception(at, bytes[in.position()] & 0xFF);
        }
        char[] chars = new char[out.position()];
        out.flip().get(chars);
        return chars;
    }

    /** The decoded text of all of {@code bytes}. */
    public static String decode(byte[] bytes) throws InvalidUtf8Exception {
        return new String(decode(bytes, 0, bytes.length));
    }

    /** Bytes that are not well-formed UTF-8; the message names the first bad byte, counted from 1. */
    public static final class InvalidUtf8Exception extends Exception {
        InvalidUtf8Exception(int offset, int value) {
            super(String.format("invalid UTF-8 at byte %d (0x%02X)", offset + 1, value), null, false, false);
        }
    }
}

package io.stardust.daemon;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;

/**
 * UUIDv4 text exactly as StarDust writes it: 16 random bytes, version nibble 4, variant bits {@code 10xx},
 * lowercase 8-4-4-4-12 hex. ({@link java.util.UUID#randomUUID()} produces the same; this class exists so the bit
 * layout is explicit, tested, and the randomness injectable.)
 */
public final class UuidV4 {
    private final Random random;

    public UuidV4(Random random) {
        this.random = random;
    }

    /** Backed by a {@link SecureRandom}, like upstream's {@code random_bytes}. */
    public static UuidV4 secure() {
        return new UuidV4(new SecureRandom());
    }

    public String next() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return format(b);
    }

    /** Stamps version and variant onto 16 bytes and formats them. */
    public static String format(byte[] sixteen) {
        if (sixteen.length != 16) {
            throw new IllegalArgumentException("a UUID has 16 bytes, got " + sixteen.length);
        }
        byte[] b = sixteen.clone();
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().formatHex(b);
        return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
                + hex.substring(16, 20) + '-' + hex.substring(20);
    }
}

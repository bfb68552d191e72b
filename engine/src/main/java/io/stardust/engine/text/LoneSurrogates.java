package io.stardust.engine.text;

/**
 * Java strings are UTF-16 and may hold a high or low surrogate without its partner (the JSON escape for U+D800
 * decodes to one). Such text has no Unicode code point: MySQL's utf8mb4 stores it as {@code ?}, so it is refused
 * wherever text enters instead of being silently changed.
 */
public final class LoneSurrogates {
    private LoneSurrogates() {
    }

    /** The index of the first unpaired surrogate, or -1 when {@code s} is well-formed UTF-16. */
    public static int indexIn(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code s} with every unpaired surrogate written as {@code \\uXXXX}, for messages that must stay valid text. */
    public static String escape(String s) {
        int at = indexIn(s);
        if (at < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 12).append(s, 0, at);
        for (int i = at; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

package io.stardust.daemon.process;

import java.util.regex.Pattern;

/** Process names become file names ({@code <name>.pid}, {@code <name>.shutdown}), so they are restricted. */
public final class ProcessNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ProcessNames() {
    }

    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid process name '" + name
                    + "': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}

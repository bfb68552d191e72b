package io.stardust.cli;

import io.stardust.engine.text.CanonicalIds;
import java.util.OptionalLong;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one converter of every option that is an id or a count ({@code --tenant}, {@code --id}, {@code --page-size},
 * {@code --limit}, {@code --entries}): only {@code [1-9][0-9]*} within signed 64 bits ({@link CanonicalIds}), so
 * {@code +1}, {@code 01}, {@code 1.0} and fullwidth digits are usage errors (exit 2) naming the option, instead
 * of being read as 1 the way {@code Long.parseLong} would. Options must be {@code long} or {@code Long}.
 */
public class CanonicalNumberConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        OptionalLong parsed = CanonicalIds.tryParse(value);
        if (parsed.isEmpty()) {
            throw new TypeConversionException("'" + value + "' is not " + expected());
        }
        return parsed.getAsLong();
    }

    String expected() {
        return "a positive integer written as [1-9][0-9]* (at most " + Long.MAX_VALUE + ")";
    }

    /** For counts where 0 means "no limit": also exactly {@code 0}. */
    public static final class ZeroAllowed extends CanonicalNumberConverter {
        @Override
        public Long convert(String value) {
            return "0".equals(value) ? 0L : super.convert(value);
        }

        @Override
        String expected() {
            return "0 or " + super.expected();
        }
    }
}

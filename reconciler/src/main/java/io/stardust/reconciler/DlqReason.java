package io.stardust.reconciler;

import io.stardust.EntryDataMissingException;
import io.stardust.UncoercibleSlotValueException;
import java.util.Locale;

/** {@code stardust_reconciler_dlq.reason} (spec §1.2), and which failure maps to which (spec §8.2.2). */
public enum DlqReason {
    MALFORMED_JSON, MISSING_ENTRY_DATA, SCHEMA_INCOMPATIBILITY, OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DlqReason of(Throwable failure) {
        if (failure instanceof EntryDataMissingException) {
            return MISSING_ENTRY_DATA;
        }
        if (failure instanceof UncoercibleSlotValueException) {
            return SCHEMA_INCOMPATIBILITY;
        }
        return OTHER;
    }
}

package io.stardust.reconciler;

import io.stardust.EntryDataMissingException;
import io.stardust.UncoercibleSlotValueException;
import java.util.Locale;

/** {@code stardust_reconciler_dlq.reason}, and which failure maps to which. */
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

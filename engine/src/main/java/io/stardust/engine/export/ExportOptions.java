package io.stardust.engine.export;

import io.stardust.config.ConfigOption;
import java.util.List;

/**
 * Options of export submission. Not engine-wide ({@code StarDustConfig.OPTIONS}): only the processes that submit
 * exports (the HTTP API, {@code export:submit}) and the Chronicler declare them; elsewhere the default applies.
 */
public final class ExportOptions {
    /** Upstream's name and default. */
    public static final ConfigOption<Integer> PER_TENANT_ACTIVE_CAP = ConfigOption.integer(
            "chroniclerPerTenantActiveCap", 3, "Pending plus processing exports one tenant may have at once; a further "
                    + "submission is refused (ExportJobActiveCapExceededException, HTTP 429 export_active_cap_exceeded) until "
                    + "one of them ends.").between(1, 10_000);

    public static final List<ConfigOption<?>> OPTIONS = List.of(PER_TENANT_ACTIVE_CAP);

    private ExportOptions() {
    }
}

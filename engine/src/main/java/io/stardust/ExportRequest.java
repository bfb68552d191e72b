package io.stardust;

import java.util.List;
import java.util.Objects;

/**
 * An export to submit: every live entry of the tenant's model that the filter matches, in id order, exactly as
 * {@link StarDust#search} returns them.
 *
 * @param filter        a wire-format filter document (the search JSON, {@code {"version":"1","filter":…}}); null or
 *                      a document without {@code filter} exports every entry
 * @param select        the fields to export, in this order (CSV columns, JSON keys); null exports every live field
 *                      of the model, in name order
 * @param gzip          compress the artifact with gzip
 * @param correlationId ties the job's events to the caller's request; empty: one is allocated
 */
public record ExportRequest(long tenantId, int modelId, ExportFormat format, String filter, List<String> select,
                            boolean gzip, String correlationId) {
    public ExportRequest {
        Objects.requireNonNull(format, "format");
        select = select == null ? null : List.copyOf(select);
        correlationId = correlationId == null ? "" : correlationId;
    }

    /** Every entry of the model, all live fields, uncompressed. */
    public static ExportRequest of(long tenantId, int modelId, ExportFormat format) {
        return new ExportRequest(tenantId, modelId, format, null, null, false, "");
    }

    public ExportRequest withFilter(String wireDocument) {
        return new ExportRequest(tenantId, modelId, format, wireDocument, select, gzip, correlationId);
    }

    public ExportRequest withSelect(List<String> fields) {
        return new ExportRequest(tenantId, modelId, format, filter, fields, gzip, correlationId);
    }

    public ExportRequest withGzip(boolean compress) {
        return new ExportRequest(tenantId, modelId, format, filter, select, compress, correlationId);
    }

    public ExportRequest withCorrelationId(String id) {
        return new ExportRequest(tenantId, modelId, format, filter, select, gzip, id);
    }
}

package io.stardust;

/** A tenant already has {@code cap} pending or processing exports; submit again when one of them ends. */
public class ExportJobActiveCapExceededException extends StarDustException {
    private final long tenantId;
    private final int activeCount;
    private final int cap;

    public ExportJobActiveCapExceededException(long tenantId, int activeCount, int cap) {
        super("tenant " + tenantId + " has " + activeCount + " active export job(s); at most " + cap
                + " may be pending or processing at once");
        this.tenantId = tenantId;
        this.activeCount = activeCount;
        this.cap = cap;
    }

    public long tenantId() {
        return tenantId;
    }

    public int activeCount() {
        return activeCount;
    }

    public int cap() {
        return cap;
    }
}

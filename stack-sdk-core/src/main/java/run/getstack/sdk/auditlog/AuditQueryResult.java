package run.getstack.sdk.auditlog;

import java.util.List;

/**
 * One answer of {@link AuditLog#query(AuditQuery)}.
 *
 * @param entries the entries, newest first
 * @param maxTimestampMillis the newest entry's time, or the query's {@code since} when there are none: ask again
 *     with {@code since(maxTimestampMillis)} for what came after
 */
public record AuditQueryResult(List<AuditEntry> entries, long maxTimestampMillis) {
    /**
     * Copies the list.
     *
     * @param entries the entries
     * @param maxTimestampMillis the watermark
     */
    public AuditQueryResult {
        entries = List.copyOf(entries);
    }
}

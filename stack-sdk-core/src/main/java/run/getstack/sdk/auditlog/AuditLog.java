package run.getstack.sdk.auditlog;

/**
 * Reading STACK's audit log ({@code client.auditLog()}), for operator and member keys. Thread-safe (the iterators
 * it returns are for one thread each).
 */
public interface AuditLog {
    /**
     * Reads the newest entries after a time ({@code GET /v1/audit}).
     *
     * @param query filters, {@code since} and {@code limit}
     * @return the entries, newest first, and the watermark for the next query
     */
    AuditQueryResult query(AuditQuery query);

    /**
     * Follows the log on the calling thread: a blocking iterator over new entries, oldest first.
     *
     * @param options filters, start and poll interval
     * @return the tail; close it to stop
     */
    AuditTail tail(AuditTailOptions options);

    /**
     * Follows the log on the client's scheduler and hands each new entry to a listener, oldest first.
     *
     * @param options filters, start and poll interval
     * @param listener hears entries, failed polls and possible gaps
     * @return the running follower; close it to stop
     */
    AuditFollower follow(AuditTailOptions options, AuditEntryListener listener);

    /**
     * Exports entries as a stream ({@code GET /v1/audit/export}), page by page with the server's cursor, oldest
     * first. Nothing is requested until the first {@code hasNext()}.
     *
     * @param request range, wire format and where to resume
     * @return the export; close it
     */
    AuditExport export(AuditExportRequest request);

    /**
     * Asks STACK to walk the operator's chain ({@code GET /v1/audit/verify-chain}).
     *
     * @return STACK's verdict
     */
    ChainVerification verifyChain();
}

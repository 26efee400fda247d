package run.getstack.sdk.auditlog;

import run.getstack.sdk.StackException;

/**
 * Hears what an {@link AuditFollower} finds. Called on the client's scheduler thread, one call at a time per
 * follower; an exception it throws is logged and the follower goes on.
 */
@FunctionalInterface
public interface AuditEntryListener {
    /**
     * A new entry, oldest first.
     *
     * @param entry the entry
     */
    void onEntry(AuditEntry entry);

    /**
     * A poll failed; the follower tries again after its interval. Default: nothing.
     *
     * @param error the failure
     */
    default void onError(StackException error) {}

    /**
     * One poll came back full ({@link AuditQuery#MAX_LIMIT} entries): entries appended between the previous
     * watermark and {@code oldestDeliveredMillis} may have been skipped (the query has no way to page back). Use
     * {@link AuditLog#export(AuditExportRequest)} over that range to read them. Default: nothing.
     *
     * @param afterMillis the watermark before the poll
     * @param oldestDeliveredMillis the time of the oldest entry the poll delivered
     */
    default void onGap(long afterMillis, long oldestDeliveredMillis) {}
}

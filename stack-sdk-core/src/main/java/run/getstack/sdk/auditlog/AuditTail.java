package run.getstack.sdk.auditlog;

import java.util.Iterator;

/**
 * A blocking iterator over new audit entries, oldest first: {@link #hasNext()} polls and, while there is nothing
 * new, waits the poll interval and polls again, so it returns false only after {@link #close()} (from another
 * thread) . An interrupt ends the wait with {@link run.getstack.sdk.StackInterruptedException}. One thread at a
 * time.
 */
public interface AuditTail extends Iterator<AuditEntry>, AutoCloseable {
    /**
     * Returns the time of the newest entry seen, the {@code since} of the next poll.
     *
     * @return Unix milliseconds
     */
    long watermarkMillis();

    /**
     * Returns how many polls came back full, so that older entries may have been skipped (see {@link
     * AuditEntryListener#onGap(long, long)}).
     *
     * @return the count
     */
    long possibleGaps();

    /** Ends the iteration: {@link #hasNext()} returns false from now on. Idempotent, callable from any thread. */
    @Override
    void close();
}

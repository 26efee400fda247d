package run.getstack.sdk.audit;

import java.time.Duration;

/**
 * The agent's audit writer, reached with {@code StackClient.audit()} and closed (flushed) by {@code
 * StackClient.close()}. It records the agent's events and the SDK's own (passports issued, refreshed and checked
 * out, leases, proxy calls, revocations seen, local refusals), chains them per agent (docs/wire-protocol.md §8.5),
 * writes them to an append-only spool on disk and delivers them in batches to STACK's client ingest endpoint, in
 * chain order, retrying with backoff. Event ids make resends idempotent, so every event reaches the control plane
 * exactly once, whatever the network or the process does. Thread-safe.
 *
 * <p>{@link #record(AuditEvent)} never blocks on the network and never throws because of it: it hands the event to
 * a bounded in-memory queue served by the writer's own thread ({@code stack-audit-writer}). It waits only when the
 * spool's disk budget or the queue is full (then up to {@link AuditConfig#fullWait()}, then {@link
 * StackAuditFullException}), and for a security-critical event until it is on disk.
 *
 * <p>Every wait of the writer (a flush, a close, a full queue, a security-critical event's fsync) is timed on the
 * client's clock and scheduler, like the client's other waits, and an interrupt ends it at once with the thread's
 * interrupt flag restored.
 */
public interface AuditWriter {
    /**
     * Records an event.
     *
     * @param event the event
     * @throws StackAuditFullException if there was no room within {@link AuditConfig#fullWait()}
     * @throws StackAuditException if the writer is closed or its spool failed
     * @throws run.getstack.sdk.StackInterruptedException if interrupted while waiting for room or for the disk
     */
    void record(AuditEvent event);

    /**
     * Forces every event recorded so far to disk, then delivers them now, and reports the truth. Returns when the
     * control plane has acknowledged all of them, or a delivery attempt has failed (the events stay spooled and are
     * retried with backoff after this call), or the control plane has no ingest endpoint, or the timeout is up,
     * whichever comes first. It never reports success for an event the control plane has not acknowledged.
     *
     * @param timeout how long to try delivering, zero or more
     * @return what is acknowledged, spooled and neither
     * @throws run.getstack.sdk.StackInterruptedException if interrupted (the flag is restored); its message counts
     *     what is acknowledged, on disk and neither at that moment
     */
    AuditFlushResult flush(Duration timeout);

    /**
     * Returns the counters.
     *
     * @return a snapshot
     */
    AuditStats stats();

    /**
     * Flushes for up to {@link AuditConfig#closeTimeout()}, writes what is left to the spool (forced to disk), stops
     * the writer's thread and releases the spool. What the control plane did not acknowledge stays in the spool and
     * is delivered by the next writer on the same directory. Idempotent: a second call returns the first result.
     *
     * <p>An interrupt ends the flush at once: the writer still stops, the result says what is not delivered (or not on
     * disk, if the writer's thread had not forced it yet; that thread forces it and releases the spool as it stops),
     * and the interrupt flag stays set.
     *
     * @return what is acknowledged, spooled and neither
     */
    AuditFlushResult close();
}

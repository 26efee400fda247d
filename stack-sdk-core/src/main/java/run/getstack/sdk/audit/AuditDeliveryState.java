package run.getstack.sdk.audit;

/** Whether the control plane is taking the writer's events, for health checks ({@link AuditStats#state()}). */
public enum AuditDeliveryState {
    /** The last delivery worked (or there was nothing to deliver yet). */
    DELIVERING,
    /** The last delivery failed; events wait in the spool and delivery is retried with backoff. */
    RETRYING,
    /**
     * The control plane has no client ingest endpoint (it answered 404 or 405, as hosted STACK does for this
     * extension): nothing is acknowledged, the chain is kept in the spool and nothing is deleted. Not retried for the
     * client's lifetime; a new client (after STACK adds the endpoint) replays the spool.
     */
    NOT_SUPPORTED,
    /** Writing the spool failed (disk error); {@code record()} fails. */
    FAILED,
    /** The writer is closed. */
    CLOSED
}

package run.getstack.sdk.audit;

/**
 * {@code record()} waited {@link AuditConfig#fullWait()} for room and found none: the disk budget of the spool is
 * used up by events the control plane has not acknowledged, or the in-memory queue is full because the writer's
 * thread cannot keep up. The event was not recorded (and nothing was dropped silently: the caller holds it).
 */
public final class StackAuditFullException extends StackAuditException {
    private static final long serialVersionUID = 1L;

    /** What is full. */
    public enum Reason {
        /** The spool has reached {@link AuditConfig#diskBudgetBytes()}. */
        SPOOL_FULL,
        /** The in-memory queue has reached {@link AuditConfig#queueCapacity()}. */
        QUEUE_FULL
    }

    /** What is full. */
    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param message what is full and since when, without any secret
     * @param reason what is full
     */
    public StackAuditFullException(String message, Reason reason) {
        super(message, null);
        this.reason = reason;
    }

    /**
     * Returns what is full.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}

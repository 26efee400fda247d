package run.getstack.sdk.audit;

/**
 * When a recorded event is forced to disk (fsync) in the spool. Whatever the policy, an event is written to the
 * spool before it is sent, and {@link AuditWriter#flush(java.time.Duration)} and {@link AuditWriter#close()} force
 * everything written so far.
 */
public enum AuditDurability {
    /**
     * The default: the writer's own thread writes events to the spool and forces the spool at most once per {@link
     * AuditConfig#groupCommitInterval()}; {@code record()} does not wait. A crash of the machine (not only the
     * process) can lose at most the last interval's events; a crash of the process loses only what was still in the
     * in-memory queue.
     */
    GROUP_COMMIT,
    /**
     * Every event: {@code record()} returns only once the event is forced to disk (events recorded together share
     * one fsync). For security-critical deployments; an event can also ask for this alone with {@link
     * AuditEvent#securityCritical()}.
     */
    SYNC,
    /** Never forced except by flush and close (the operating system writes when it likes). For tests. */
    NONE
}

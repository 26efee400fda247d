package run.getstack.sdk.auditlog;

/** A running {@link AuditLog#follow follow}. Thread-safe; {@link #close()} stops it (so does closing the client). */
public interface AuditFollower extends AutoCloseable {
    /**
     * Returns the time of the newest entry seen, the {@code since} of the next poll.
     *
     * @return Unix milliseconds
     */
    long watermarkMillis();

    /**
     * Tells whether the follower still polls.
     *
     * @return false after {@link #close()} or after the client closed
     */
    boolean isRunning();

    /** Stops polling; a poll in flight is interrupted. Idempotent. */
    @Override
    void close();
}

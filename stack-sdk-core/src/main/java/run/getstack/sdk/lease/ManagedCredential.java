package run.getstack.sdk.lease;

/**
 * A leased credential kept fresh in the background ({@link Leases#managed(LeaseRequest, LeaseListener)}).
 * Thread-safe.
 */
public interface ManagedCredential extends AutoCloseable {
    /**
     * Returns the current lease (owned by this managed credential: do not close it).
     *
     * @return the lease
     */
    Lease current();

    /**
     * Reports that the upstream service refused the current credential: one fresh lease is acquired, once, and the
     * listener told of the rotation.
     *
     * @return the new current lease
     * @throws run.getstack.sdk.StackException if acquiring the replacement fails
     */
    Lease invalidate();

    /** Stops the background task and releases the current lease's hold. Idempotent. */
    @Override
    void close();
}

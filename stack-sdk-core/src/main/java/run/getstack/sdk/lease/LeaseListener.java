package run.getstack.sdk.lease;

import run.getstack.sdk.StackException;

/**
 * Told what happens to a {@link ManagedCredential}, on the client's scheduler thread. Every method has an empty
 * default; a listener that throws is logged (class name only) and the credential keeps being managed.
 */
public interface LeaseListener {
    /**
     * The credential was replaced: swap it in (a connection pool, an HTTP client). The old lease stays valid until
     * this method returns, then its hold is released.
     *
     * @param previous the lease being replaced
     * @param next the new lease
     */
    default void onRotation(Lease previous, Lease next) {}

    /**
     * The lease expired before a replacement could be acquired (the control plane unreachable): its value is refused
     * from now on. Acquiring a replacement continues with backoff; {@link #onRotation} follows when it succeeds.
     *
     * @param expired the expired lease
     */
    default void onExpired(Lease expired) {}

    /**
     * A renewal or replacement failed. While the lease is live it keeps being served and the attempt is retried
     * with backoff bounded by the time left.
     *
     * @param error the failure
     * @param terminal true when management stopped for good (the passport was revoked or checked out, the client
     *     closed)
     */
    default void onError(StackException error, boolean terminal) {}
}

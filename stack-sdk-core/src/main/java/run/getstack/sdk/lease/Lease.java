package run.getstack.sdk.lease;

import java.time.Instant;
import run.getstack.sdk.Secret;
import run.getstack.sdk.credential.CredentialValue;

/**
 * One hold on a leased credential ({@link Leases#acquire(LeaseRequest)}). The times are the control plane's, as last
 * renewed; the value is served only while the lease is live. {@code toString()} shows the lease id as a fingerprint
 * (first 8 hex characters of its SHA-256), never the id or the value. Thread-safe.
 */
public interface Lease extends AutoCloseable {
    /**
     * Returns the provider slug.
     *
     * @return the provider
     */
    String provider();

    /**
     * Returns the service connection the credential comes from.
     *
     * @return the connection id, or null for a local lease asked for by provider (STACK's answer does not name it)
     */
    @org.jspecify.annotations.Nullable
    String connectionId();

    /**
     * Returns the lease id's fingerprint: the first 8 hex characters of its SHA-256 (also for local leases, whose id
     * is made up by the SDK).
     *
     * @return the fingerprint
     */
    String fingerprint();

    /**
     * Returns the jti of the passport the lease was granted under.
     *
     * @return the jti
     */
    String passportJti();

    /**
     * Returns when the lease was granted.
     *
     * @return the instant
     */
    Instant issuedAt();

    /**
     * Returns when the lease expires, as last renewed.
     *
     * @return the instant
     */
    Instant expiresAt();

    /**
     * Returns the lease's ceiling: no renewal extends it past this.
     *
     * @return the instant
     */
    Instant maxExpiresAt();

    /**
     * Returns whether a renewal can still extend the lease.
     *
     * @return false at the ceiling and for local leases
     */
    boolean renewable();

    /**
     * Returns whether this is a local lease wrapping a plain credential read (the control plane has no lease
     * endpoints): nothing to renew or release remotely.
     *
     * @return true for a local lease
     */
    boolean isLocal();

    /**
     * Returns whether the value may be used now: not expired, released, revoked or closed.
     *
     * @return true while live
     */
    boolean isLive();

    /**
     * Returns the credential's value.
     *
     * @return the value
     * @throws StackLeaseExpiredException from the lease's expiry on
     * @throws StackLeaseRevokedException after this hold was closed, or the lease was released or revoked
     */
    CredentialValue value();

    /**
     * Returns the single value ({@code value().secret()}).
     *
     * @return the secret
     * @throws StackLeaseExpiredException from the lease's expiry on
     * @throws StackLeaseRevokedException after this hold was closed, or the lease was released or revoked
     * @throws IllegalStateException for a multi-field credential
     */
    Secret secret();

    /**
     * Reports that the upstream service refused the credential (HTTP 401/403 with it): the lease is no longer
     * handed to new acquirers and one fresh lease is acquired, once; calling this again on a hold of the same lease
     * returns a hold on that same replacement without another request. This hold stays open; close it.
     *
     * @return a new hold on the replacement lease; close it when done
     * @throws run.getstack.sdk.StackException if acquiring the replacement fails
     */
    Lease invalidate();

    /** Releases this hold; the lease is released on the control plane when its last hold is closed. Idempotent. */
    @Override
    void close();
}

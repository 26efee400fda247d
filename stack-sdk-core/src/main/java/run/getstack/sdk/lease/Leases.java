package run.getstack.sdk.lease;

/**
 * Credential leases under the agent's passport (docs/wire-protocol.md §5). Thread-safe.
 *
 * <ul>
 *   <li><b>Shared.</b> Concurrent {@link #acquire(LeaseRequest)}s of the same credential (same provider or connection
 *       and TTL) send one request and share the lease; later acquires reuse it until its renewal point. Each
 *       returned {@link Lease} is one hold: the lease is released on the control plane when the last hold is
 *       closed.
 *   <li><b>Renewal from the time left.</b> At about 2/3 of the remaining life (jittered), the next acquire (or the
 *       background task of {@link #managed}) renews; a failure is retried with backoff bounded by the time left and
 *       the lease is served meanwhile. When renewal is refused or the lease's ceiling ({@code max_expires_at}) is
 *       near, a new lease is acquired early and overlaps the old one, which stays valid for its holders.
 *   <li><b>Outages.</b> An unreachable control plane never ends a lease before its expiry; from its expiry on, its
 *       value is refused with {@link StackLeaseExpiredException}.
 *   <li><b>Lifecycle.</b> Every lease is released when the client is closed, when its passport is checked out and
 *       when it is revoked; from then on its value is refused with {@link StackLeaseRevokedException}.
 *   <li><b>Without the extension</b> (the lease endpoints answer 404, as on hosted STACK): for the client's lifetime
 *       a lease wraps {@code GET /v1/credentials/*} in a local, non-renewable lease of the request's TTL ({@link
 *       Lease#isLocal()}), with the same API.
 * </ul>
 *
 * <p>Scope and posture are checked as for credentials: a provider outside the passport fails locally with {@link
 * run.getstack.sdk.credential.StackCredentialOutsideScopeException} before anything is sent; a {@code proxy_only}
 * agent gets {@link run.getstack.sdk.credential.StackProxyOnlyException}.
 */
public interface Leases {
    /**
     * Acquires (or joins) a lease.
     *
     * @param request what to lease
     * @return one hold on the lease; close it when done
     * @throws run.getstack.sdk.StackException on failure, typed by category
     */
    Lease acquire(LeaseRequest request);

    /**
     * Keeps a leased credential fresh in the background on the client's scheduler: renewed or replaced ahead of
     * expiry, the listener told of every rotation (old and new lease), of expiry and of errors. The first lease is
     * acquired on the calling thread, so failures of the first acquire are thrown here.
     *
     * @param request what to lease
     * @param listener told of rotations, expiry and errors (on the scheduler's thread; keep it short)
     * @return the managed credential; close it to stop and release
     * @throws run.getstack.sdk.StackException if the first acquire fails
     */
    ManagedCredential managed(LeaseRequest request, LeaseListener listener);
}

/**
 * Leases: a credential bound to the agent's passport, a lifetime and an id that is renewed, released and revoked
 * ({@code client.leases()}, docs/wire-protocol.md §5). {@link run.getstack.sdk.lease.Leases#acquire} returns a
 * {@link run.getstack.sdk.lease.Lease} shared by concurrent callers and renewed from the time left; {@link
 * run.getstack.sdk.lease.Leases#managed} keeps one fresh in the background and reports rotations to a {@link
 * run.getstack.sdk.lease.LeaseListener}. Against a control plane without the lease extension (hosted STACK today)
 * the same API wraps {@code GET /v1/credentials/*} in a local, non-renewable lease.
 */
@NullMarked
package run.getstack.sdk.lease;

import org.jspecify.annotations.NullMarked;

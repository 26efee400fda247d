/**
 * Revocation: how the client learns that a passport was revoked, and what it does when it cannot know.
 *
 * <p>Each {@code StackClient} runs one revocation follower, started when the client first holds a passport or lease:
 * it long-polls the control plane's revocation feed (wire protocol §7.2) and marks every revoked passport it holds
 * as ended at once (the agent's passport holder stops serving it, its leases end, proxy calls are refused). Against
 * hosted STACK, which has no feed, it asks {@code POST /v1/passports/verify} for the passports it holds instead.
 * The client knows how old its revocation knowledge of each passport is; once that passes the bound set with {@code
 * StackClient.Builder.revocationStaleness(Duration)} and a fresh answer cannot be had, credential, lease and proxy
 * calls fail closed with {@link run.getstack.sdk.revocation.StackRevocationUnknownException}.
 */
@NullMarked
package run.getstack.sdk.revocation;

import org.jspecify.annotations.NullMarked;

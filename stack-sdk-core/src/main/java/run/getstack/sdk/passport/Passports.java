package run.getstack.sdk.passport;

import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;

/**
 * STACK's passport endpoints ({@code client.passports()}). Thread-safe. Calls that may be repeated safely (issue,
 * refresh, delegate, revoke, checkout) carry an idempotency key and are retried per the client's retry policy;
 * checkpoints are not retried. Every method throws a subclass of {@link run.getstack.sdk.StackException} on failure:
 * {@link StackPassportRevokedException}, {@link StackPassportExpiredException} and {@link
 * StackPassportCheckedOutException} for the passport states STACK reports.
 */
public interface Passports {
    /**
     * Issues a passport ({@code POST /v1/passports/issue}). Hosted STACK issues one only for a live mission: set
     * {@link PassportRequest.Builder#missionId(String)} (a mission from {@code client.missions().open(...)}), or
     * use {@code client.missions().start(...)}, which opens the mission and issues its passport in one call.
     *
     * @param agentId the agent
     * @param request scopes, intent, TTL
     * @return the passport
     */
    Passport issue(String agentId, PassportRequest request);

    /**
     * Issues a successor to a passport ({@code POST /v1/passports/refresh}); the old one stays valid until its
     * own expiry.
     *
     * @param passport the passport to refresh (valid, or expired less than 24 h ago)
     * @return the new passport (new jti, same session)
     */
    Passport refresh(Passport passport);

    /**
     * Asks the control plane whether a token is valid ({@code POST /v1/passports/verify}, unauthenticated).
     *
     * @param token the passport JWT
     * @param serviceId a service connection id or provider slug the passport must cover, or null
     * @return the verdict; an invalid token is a result, not an exception
     */
    RemoteVerification verify(Secret token, @Nullable String serviceId);

    /**
     * Delegates a narrower passport to another agent ({@code POST /v1/passports/delegate}). Checked locally first
     * when the parent token shows its scopes and depth: a chain deeper than {@value
     * DelegationRequest#MAX_DELEGATION_DEPTH} or a scope outside the parent's fails with {@link
     * run.getstack.sdk.StackInvalidRequestException} ({@code DELEGATION_DEPTH_EXCEEDED}, {@code
     * SCOPE_ESCALATION}) without a request.
     *
     * @param parent the parent passport
     * @param request the child agent and its narrower scopes
     * @return the child passport
     */
    Passport delegate(Passport parent, DelegationRequest request);

    /**
     * Revokes a passport and its descendants ({@code POST /v1/passports/{jti}/revoke}). Idempotent.
     *
     * @param jti the passport's id
     * @param reason why, up to 500 characters, or null
     * @return what was revoked
     */
    RevocationResult revoke(String jti, @Nullable String reason);

    /**
     * Revokes every live passport of an agent ({@code POST /v1/passports/revoke-agent}). If it is this client's
     * agent, the agent's own passport holder ({@link AgentPassport}) becomes terminal, as for {@link #revoke}.
     *
     * @param agentId the agent
     * @param reason why, up to 500 characters, or null
     * @return the counts
     */
    AgentRevocationResult revokeAgent(String agentId, @Nullable String reason);

    /**
     * Revokes a session: its root passport and every passport delegated from it ({@code POST
     * /v1/passports/revoke-session}). Idempotent; retried safely.
     *
     * @param sessionId the session ({@code ses_…})
     * @param reason why, up to 500 characters, or null
     * @return the count
     */
    SessionRevocationResult revokeSession(String sessionId, @Nullable String reason);

    /**
     * Emergency: revokes every live passport of the operator ({@code POST /v1/passports/revoke-all} with {@code
     * confirm: true}). Needs an operator or admin key and the explicit {@link RevokeAll#confirm(String)} value.
     *
     * @param confirmation the confirmation, with an optional reason
     * @return how many passports were revoked
     */
    long revokeAll(RevokeAll confirmation);

    /**
     * Lists live passports ({@code GET /v1/passports/active}).
     *
     * @param agentId only this agent's, or null for all
     * @param sessionId only this session's, or null for all
     * @return the passports, oldest first
     */
    List<ActivePassport> listActive(@Nullable String agentId, @Nullable String sessionId);

    /**
     * Reports a checkpoint ({@code POST /v1/passports/{jti}/checkpoint}). In {@code enforced} mode the result
     * carries the re-signed passport; if it is the agent's own passport the client swaps it in.
     *
     * @param passport the passport
     * @param request the report
     * @return the result
     */
    CheckpointResult checkpoint(Passport passport, CheckpointRequest request);

    /**
     * Checks a passport out ({@code POST /v1/passports/{jti}/checkout}). From then on the client refuses to present
     * it on credential, lease and proxy calls ({@link #requireUsable(Passport)}); if it is the agent's own passport,
     * the holder becomes terminal.
     *
     * @param passport the passport
     * @param request the report
     * @return the review
     */
    CheckoutResult checkout(Passport passport, CheckoutRequest request);

    /**
     * The guard every call that presents a passport runs first, without sending anything: fails if this client
     * checked the passport out or was told by STACK that it is checked out ({@link
     * StackPassportCheckedOutException}), has seen it revoked ({@link StackPassportRevokedException}) or its expiry
     * has passed on the client's clock ({@link StackPassportExpiredException}). All three have {@code httpStatus()
     * == 0}.
     *
     * @param passport the passport about to be presented
     */
    void requireUsable(Passport passport);

    /**
     * Returns a passport's accountability report ({@code GET /v1/passports/{jti}/report}, STACK's {@code
     * stack_get_passport_report}): intent, checkpoints, checkout and review decision.
     *
     * @param jti the passport's id
     * @return the report, printable as text and JSON
     */
    PassportReport report(String jti);
}

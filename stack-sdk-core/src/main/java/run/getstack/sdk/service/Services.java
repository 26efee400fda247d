package run.getstack.sdk.service;

import run.getstack.sdk.PagedIterable;

/**
 * STACK's services, connections and grants ({@code client.services()}). Thread-safe. Input is checked locally
 * first ({@link IllegalArgumentException} naming the field); the server's refusals come as typed {@link
 * run.getstack.sdk.StackException} subclasses ({@link run.getstack.sdk.StackNotFoundException} for an unknown
 * service, connection or agent).
 */
public interface Services {
    /**
     * Lists STACK's catalog of connectable services ({@code GET /v1/services}).
     *
     * @return the services (one page: STACK does not page this list)
     */
    PagedIterable<CatalogService> catalog();

    /**
     * Lists the operator's connections ({@code GET /v1/services/connected}); never carries a credential.
     *
     * @return the connections (one page: STACK does not page this list)
     */
    PagedIterable<ServiceConnection> connected();

    /**
     * Connects a service ({@code POST /v1/services/connect}); retried safely with an idempotency key.
     *
     * @param request the service and scopes
     * @return the new connection
     */
    ServiceConnection connect(ConnectRequest request);

    /**
     * Disconnects ({@code DELETE /v1/services/connections/{id}}): revokes every passport carrying the connection,
     * its grants and its leases.
     *
     * @param connectionId the connection
     * @return how many passports were revoked
     */
    Disconnection disconnect(String connectionId);

    /**
     * Creates or replaces an agent's grant on a connection ({@code POST /v1/agents/{id}/grants}). Hosted STACK may
     * hold a widening grant for a person's approval.
     *
     * @param agentId the agent
     * @param request the connection, scopes and constraints
     * @return the grant
     */
    Grant grant(String agentId, GrantRequest request);

    /**
     * Sends a grant again with a person's approval, after STACK answered it with {@link
     * run.getstack.sdk.StackGovernanceApprovalRequiredException}: the same request plus {@code
     * governance_approval_id}. The approval is single use and bound to the exact payload, so pass the same request.
     *
     * @param agentId the agent
     * @param request the same connection, scopes and constraints as the refused call
     * @param approval the approved {@code gvr_…} approval
     * @return the grant
     */
    Grant grant(String agentId, GrantRequest request, run.getstack.sdk.approval.GovernanceApproval approval);

    /**
     * Deletes an agent's grant on a connection ({@code DELETE /v1/agents/{id}/grants/{connection}}), revoking the
     * agent's passports that carry it. Succeeds also when there was no such grant.
     *
     * @param agentId the agent
     * @param serviceConnectionId the connection
     */
    void revokeGrant(String agentId, String serviceConnectionId);
}

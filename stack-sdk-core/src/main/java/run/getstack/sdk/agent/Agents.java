package run.getstack.sdk.agent;

import run.getstack.sdk.PagedIterable;

/**
 * STACK's agent endpoints ({@code client.agents()}), for operator and member keys. Thread-safe. Input is checked
 * locally first ({@link IllegalArgumentException} naming the field, nothing sent); the server's refusals come as
 * the typed {@link run.getstack.sdk.StackException} subclasses: {@link run.getstack.sdk.StackNotFoundException} for an
 * unknown id (or another operator's agent), {@link run.getstack.sdk.StackConflictException} for a taken name, {@link
 * run.getstack.sdk.StackAuthenticationException} for a wrong key, {@link run.getstack.sdk.StackPermissionException}
 * for a role or principal that may not.
 */
public interface Agents {
    /** The page size {@link #list()} asks for: {@value}. */
    int DEFAULT_PAGE_SIZE = 100;

    /** The largest page size {@link #list(int)} accepts: {@value}. */
    int MAX_PAGE_SIZE = 500;

    /**
     * Registers an agent ({@code POST /v1/agents/register}); retried safely with an idempotency key.
     *
     * @param registration the name and settings
     * @return the new agent
     */
    Agent register(AgentRegistration registration);

    /**
     * Lists the operator's agents, oldest first ({@code GET /v1/agents}), lazily, page by page.
     *
     * @return the agents
     */
    PagedIterable<Agent> list();

    /**
     * Lists the operator's agents with a page size. A server that does not page (STACK documents no paging for this
     * list) answers with the whole list in one page; the iteration then ends after it.
     *
     * @param pageSize 1 to {@value #MAX_PAGE_SIZE}
     * @return the agents
     */
    PagedIterable<Agent> list(int pageSize);

    /**
     * Reads one agent ({@code GET /v1/agents/{id}}).
     *
     * @param agentId the agent
     * @return the agent
     */
    Agent get(String agentId);

    /**
     * Changes an agent ({@code PATCH /v1/agents/{id}}); not retried (PATCH is not idempotent in general).
     *
     * @param agentId the agent
     * @param update the fields to change (at least one)
     * @return the agent after the change
     */
    Agent update(String agentId, AgentUpdate update);

    /**
     * Deletes an agent and revokes its passports ({@code DELETE /v1/agents/{id}}). A retry after a lost response
     * answers {@link run.getstack.sdk.StackNotFoundException}: the agent is gone either way.
     *
     * @param agentId the agent
     * @return how many passports were revoked
     */
    AgentDeletion delete(String agentId);

    /**
     * Clears {@code passport_blocked} so passports can be issued again ({@code POST /v1/agents/{id}/unblock}). An
     * agent cannot unblock itself: a client that signs as that agent is refused locally with {@link
     * IllegalStateException}. Hosted STACK may hold the call for a person's approval.
     *
     * @param agentId the agent
     * @return the agent after the change
     */
    Agent unblock(String agentId);

    /**
     * Sends an unblock again with a person's approval, after STACK answered it with {@link
     * run.getstack.sdk.StackGovernanceApprovalRequiredException}: the same request plus {@code
     * governance_approval_id} (single use, bound to this agent's unblock, 24 hours).
     *
     * @param agentId the agent
     * @param approval the approved {@code gvr_…} approval
     * @return the agent after the change
     */
    Agent unblock(String agentId, run.getstack.sdk.approval.GovernanceApproval approval);
}

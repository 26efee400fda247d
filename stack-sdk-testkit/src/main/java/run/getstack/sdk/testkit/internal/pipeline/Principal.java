package run.getstack.sdk.testkit.internal.pipeline;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.route.MemberPrincipal;

/**
 * Internal, not for public use. Who is calling.
 *
 * @param operatorId the operator (for an agent principal: its operator)
 * @param agentId the agent principal, or null for an operator or member key
 * @param member the team member, or null for an operator key or an agent
 */
public record Principal(
        String operatorId,
        @Nullable String agentId,
        @Nullable MemberPrincipal member) {
    /**
     * An operator key or an agent.
     *
     * @param operatorId operator
     * @param agentId agent or null
     */
    public Principal(String operatorId, @Nullable String agentId) {
        this(operatorId, agentId, null);
    }
}

package run.getstack.sdk.testkit.internal.route;

/**
 * Internal, not for public use. What an agent principal may do on one route (wire protocol §2.4): runs under the
 * state lock before the handler, and either returns the call (possibly narrowed, e.g. a query filtered to the
 * agent) or throws an {@code ApiError}.
 */
@FunctionalInterface
public interface AgentRule {
    /** Agents may call the route; the handler filters what they see. */
    AgentRule ALLOWED = (call, agentId) -> call;

    /**
     * Checks or narrows an agent's call.
     *
     * @param call the call
     * @param agentId the agent principal
     * @return the call to hand on
     */
    Call check(Call call, String agentId);
}

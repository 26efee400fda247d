package run.getstack.sdk.testkit.internal.route;

import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. Who may call a route: anyone ({@link #isPublic()}), the operator (and team members
 * with at least {@link #memberRole()}), and the agent itself when {@link #agentRule()} is set (else agents get 403
 * {@code agent_principal}).
 *
 * @param isPublic no authentication
 * @param memberRole least member role, null for public and operator-only routes
 * @param agentRule what an agent principal may do, or null when agents may not call the route
 */
public record Access(
        boolean isPublic,
        @Nullable MemberRole memberRole,
        @Nullable AgentRule agentRule) {
    /**
     * No authentication.
     *
     * @return the access
     */
    public static Access open() {
        return new Access(true, null, null);
    }

    /**
     * Operators and members with the role; agents refused.
     *
     * @param role least member role
     * @return the access
     */
    public static Access operator(MemberRole role) {
        return new Access(false, role, null);
    }

    /**
     * The operator only: team members and agents refused (wire protocol §9.1).
     *
     * @return the access
     */
    public static Access operatorOnly() {
        return new Access(false, null, null);
    }

    /**
     * Also the agent itself, as the rule allows.
     *
     * @param rule the agent rule
     * @return a copy
     */
    public Access orAgent(AgentRule rule) {
        if (isPublic) {
            throw new IllegalStateException("a public route needs no agent rule");
        }
        return new Access(false, memberRole, rule);
    }

    @Override
    public String toString() {
        if (isPublic) {
            return "public";
        }
        return "operator" + (memberRole == null ? "" : ", member " + memberRole) + (agentRule == null ? "" : ", agent");
    }
}

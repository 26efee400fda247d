package run.getstack.sdk.agent;

import java.util.Objects;

/**
 * The result of {@link Agents#delete(String)}: the agent is gone and its passports are revoked.
 *
 * @param agentId the deleted agent
 * @param revokedCount passports revoked by the deletion, delegated descendants included
 */
public record AgentDeletion(String agentId, long revokedCount) {
    /**
     * Checks the values.
     *
     * @param agentId the agent
     * @param revokedCount zero or more
     */
    public AgentDeletion {
        Objects.requireNonNull(agentId, "agentId");
        if (revokedCount < 0) {
            throw new IllegalArgumentException("revokedCount: must not be negative");
        }
    }
}

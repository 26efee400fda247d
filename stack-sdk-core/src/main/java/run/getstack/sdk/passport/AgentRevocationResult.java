package run.getstack.sdk.passport;

import java.util.Objects;

/**
 * The result of revoking every live passport of an agent.
 *
 * @param agentId the agent
 * @param revokedCount passports revoked directly
 * @param cascadedCount descendants revoked with them
 */
public record AgentRevocationResult(String agentId, long revokedCount, long cascadedCount) {
    /**
     * Creates the value, checking its components.
     *
     * @param agentId the agent
     * @param revokedCount passports revoked directly
     * @param cascadedCount descendants revoked with them
     */
    public AgentRevocationResult {
        Objects.requireNonNull(agentId, "agentId");
    }
}

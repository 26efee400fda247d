package run.getstack.sdk.service;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An agent's access to one service connection.
 *
 * @param agentId the agent
 * @param serviceConnectionId the connection
 * @param provider the connection's provider
 * @param scopes the granted scopes
 * @param constraints the request constraints carried into the agent's passports
 * @param createdAt when the grant was made (or last replaced)
 */
public record Grant(
        String agentId,
        String serviceConnectionId,
        String provider,
        List<String> scopes,
        List<GrantConstraint> constraints,
        Instant createdAt) {
    /**
     * Checks the values and copies the lists.
     *
     * @param agentId the agent
     * @param serviceConnectionId the connection
     * @param provider the provider
     * @param scopes the scopes
     * @param constraints the constraints
     * @param createdAt when made
     */
    public Grant {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(serviceConnectionId, "serviceConnectionId");
        Objects.requireNonNull(provider, "provider");
        scopes = List.copyOf(scopes);
        constraints = List.copyOf(constraints);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

package run.getstack.sdk.service;

import java.util.List;
import java.util.Objects;
import run.getstack.sdk.internal.http.Ids;

/**
 * What {@link Services#grant(String, GrantRequest)} sends ({@code POST /v1/agents/{id}/grants}): a connection, one
 * or more scopes and at most {@value #MAX_CONSTRAINTS} constraints. Checked as it is built ({@link
 * IllegalArgumentException} naming the field). Immutable.
 *
 * @param serviceConnectionId the connection
 * @param scopes the scopes (1 to 100, each at most 256 characters)
 * @param constraints the constraints (at most {@value #MAX_CONSTRAINTS})
 */
public record GrantRequest(String serviceConnectionId, List<String> scopes, List<GrantConstraint> constraints) {
    /** The most constraints on one grant: {@value}. */
    public static final int MAX_CONSTRAINTS = 32;

    /**
     * Checks the values and copies the lists.
     *
     * @param serviceConnectionId the connection
     * @param scopes the scopes
     * @param constraints the constraints
     */
    public GrantRequest {
        Ids.require("service_connection_id", serviceConnectionId);
        scopes = ServiceRules.scopes(scopes);
        Objects.requireNonNull(constraints, "constraints");
        constraints = List.copyOf(constraints);
        if (constraints.size() > MAX_CONSTRAINTS) {
            throw new IllegalArgumentException(
                    "constraints: at most " + MAX_CONSTRAINTS + ", was " + constraints.size());
        }
    }

    /**
     * A grant without constraints.
     *
     * @param serviceConnectionId the connection
     * @param scopes the scopes
     * @return the request
     */
    public static GrantRequest of(String serviceConnectionId, List<String> scopes) {
        return new GrantRequest(serviceConnectionId, scopes, List.of());
    }
}

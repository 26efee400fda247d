package run.getstack.sdk.testkit.internal.route;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. A team member calling with its member key (wire protocol §1.4).
 *
 * @param memberId {@code mem_…}
 * @param role its role
 * @param allowedConnections the service connections it may use, or null for all
 */
public record MemberPrincipal(
        String memberId, MemberRole role, @Nullable Set<String> allowedConnections) {
    /**
     * Creates the principal.
     *
     * @param memberId id
     * @param role role
     * @param allowedConnections connections or null
     */
    public MemberPrincipal {
        allowedConnections = allowedConnections == null ? null : Set.copyOf(allowedConnections);
    }

    /**
     * Whether the member may use a service connection.
     *
     * @param connectionId the connection
     * @return true when allowed
     */
    public boolean mayUse(String connectionId) {
        return allowedConnections == null || allowedConnections.contains(connectionId);
    }
}

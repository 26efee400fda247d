package run.getstack.sdk.testkit.internal.grants;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Internal, not for public use. An agent's grant on one connection.
 *
 * @param agentId agent
 * @param connectionId connection
 * @param provider the connection's provider
 * @param scopes granted scopes
 * @param constraints validated proxy constraints
 * @param createdAt when granted
 */
public record Grant(
        String agentId,
        String connectionId,
        String provider,
        List<String> scopes,
        List<ObjectNode> constraints,
        Instant createdAt) {}

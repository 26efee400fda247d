package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Internal, not for public use. One {@code stk.services[]} entry of a passport.
 *
 * @param connectionId connection
 * @param provider provider slug
 * @param scopes scopes
 * @param credRef credential reference
 * @param constraints proxy constraints
 */
public record ServiceScope(
        String connectionId, String provider, List<String> scopes, String credRef, List<ObjectNode> constraints) {}

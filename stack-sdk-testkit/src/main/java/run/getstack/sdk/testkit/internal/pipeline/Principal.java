package run.getstack.sdk.testkit.internal.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. Who is calling.
 *
 * @param operatorId the operator (for an agent principal: its operator)
 * @param agentId the agent principal, or null for an operator key
 */
public record Principal(String operatorId, @Nullable String agentId) {}

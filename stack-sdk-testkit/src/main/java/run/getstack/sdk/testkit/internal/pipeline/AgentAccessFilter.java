package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. Wire protocol §2.4: an agent principal may call only routes with an agent rule, and
 * the rule may narrow or refuse the call; every other route answers 403 {@code agent_principal}.
 */
public final class AgentAccessFilter implements Filter {
    private final FakeState state;

    /**
     * Creates the filter.
     *
     * @param state the state (rules read it under its lock)
     */
    public AgentAccessFilter(FakeState state) {
        this.state = state;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        String agentId = exchange.agentId();
        if (agentId != null) {
            AgentRule rule = exchange.route().access().agentRule();
            if (rule == null) {
                throw ApiError.reason(403, "FORBIDDEN", "Not allowed for an agent principal", "agent_principal");
            }
            exchange.narrowed(state.locked(() -> rule.check(exchange.call(), agentId)));
        }
        return next.proceed(exchange);
    }
}

package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeState;

/** Internal, not for public use. The end of the pipeline: the route's handler, under the state lock unless it locks itself. */
public final class HandlerStep implements Filter.Chain {
    private final FakeState state;

    /**
     * Creates the step.
     *
     * @param state the state
     */
    public HandlerStep(FakeState state) {
        this.state = state;
    }

    @Override
    public EngineResponse proceed(Exchange exchange) {
        Route route = exchange.route();
        if (route.locking() == Route.Locking.SELF) {
            return route.handler().handle(exchange.call());
        }
        return state.locked(() -> route.handler().handle(exchange.call()));
    }
}

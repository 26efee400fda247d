package run.getstack.sdk.testkit.internal.pipeline;

import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.route.RouteGuard;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. Runs the {@link RouteGuard}s other modules put in front of a route, under the state
 * lock, just before the handler. A guard's refusal is marked {@link IdempotencyFilter.Unstored}: the operation did
 * not run, so its key stays free for the resend.
 */
public final class GuardFilter implements Filter {
    private final FakeState state;
    private final Map<String, List<RouteGuard>> guards;

    /**
     * Creates the filter.
     *
     * @param state the state
     * @param guards guards by {@code "METHOD pattern"}
     */
    public GuardFilter(FakeState state, Map<String, List<RouteGuard>> guards) {
        this.state = state;
        this.guards = Map.copyOf(guards);
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        Route route = exchange.route();
        List<RouteGuard> mine = guards.get(route.method() + " " + route.pattern());
        if (mine != null) {
            Call call = exchange.call();
            try {
                state.locked(() -> {
                    for (RouteGuard g : mine) {
                        g.check(call);
                    }
                });
            } catch (ApiError e) {
                exchange.attribute(IdempotencyFilter.Unstored.class, new IdempotencyFilter.Unstored(e.code()));
                throw e;
            }
        }
        return next.proceed(exchange);
    }
}

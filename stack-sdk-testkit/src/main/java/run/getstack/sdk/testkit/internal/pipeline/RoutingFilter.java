package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.RouteTable;

/** Internal, not for public use. Finds the route: 404 (unknown or switched-off route), 405, or on. */
public final class RoutingFilter implements Filter {
    private final RouteTable table;

    /**
     * Creates the filter.
     *
     * @param table the routes
     */
    public RoutingFilter(RouteTable table) {
        this.table = table;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        RouteTable.Match m =
                table.resolve(exchange.request().method(), exchange.request().path());
        exchange.routed(m.route(), m.params());
        return next.proceed(exchange);
    }
}

package run.getstack.sdk.testkit.internal.pipeline;

import java.util.List;
import run.getstack.sdk.testkit.internal.EngineResponse;

/** Internal, not for public use. Filters in order, then the terminal step. */
public final class Pipeline {
    private final List<Filter> filters;
    private final Filter.Chain terminal;

    /**
     * Creates a pipeline.
     *
     * @param filters in order, outermost first
     * @param terminal what runs after the last filter
     */
    public Pipeline(List<Filter> filters, Filter.Chain terminal) {
        this.filters = List.copyOf(filters);
        this.terminal = terminal;
    }

    /**
     * Runs a request through.
     *
     * @param exchange the exchange
     * @return the response
     */
    public EngineResponse handle(Exchange exchange) {
        return step(0, exchange);
    }

    private EngineResponse step(int i, Exchange exchange) {
        if (i == filters.size()) {
            return terminal.proceed(exchange);
        }
        return filters.get(i).filter(exchange, ex -> step(i + 1, ex));
    }

    /**
     * This pipeline behind more outer filters.
     *
     * @param outer filters to run first
     * @return the combined pipeline
     */
    public Pipeline behind(List<Filter> outer) {
        return new Pipeline(
                java.util.stream.Stream.concat(outer.stream(), filters.stream()).toList(), terminal);
    }
}

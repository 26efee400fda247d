package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.EngineResponse;

/**
 * Internal, not for public use. One step every request passes (request id, journal, faults, body limit, routing,
 * authentication, agent access, idempotency): it answers itself or hands on to the rest of the chain.
 */
@FunctionalInterface
public interface Filter {
    /** The rest of the pipeline. */
    @FunctionalInterface
    interface Chain {
        /**
         * Runs the remaining filters and the handler.
         *
         * @param exchange the exchange
         * @return the response
         */
        EngineResponse proceed(Exchange exchange);
    }

    /**
     * Filters one request.
     *
     * @param exchange the exchange
     * @param next the rest
     * @return the response
     */
    EngineResponse filter(Exchange exchange, Chain next);
}

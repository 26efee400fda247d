package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;

/** Internal, not for public use. Wire protocol §1.9: a body over the limit is 413, an unreadable one 400. */
public final class BodyLimitFilter implements Filter {
    private final long maxBodyBytes;

    /**
     * Creates the filter.
     *
     * @param maxBodyBytes the largest body accepted
     */
    public BodyLimitFilter(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        String requestId = exchange.request().requestId();
        if (exchange.bodySize() > maxBodyBytes) {
            return EngineResponse.json(
                    413,
                    ApiError.envelope(
                            "PAYLOAD_TOO_LARGE", "Request body exceeds " + maxBodyBytes + " bytes", null, requestId));
        }
        if (exchange.unreadable()) {
            return EngineResponse.json(
                    400, ApiError.envelope("INVALID_REQUEST", "Request could not be read", null, requestId));
        }
        return next.proceed(exchange);
    }
}

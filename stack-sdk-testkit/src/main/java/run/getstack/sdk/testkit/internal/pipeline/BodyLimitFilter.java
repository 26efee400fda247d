package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Wire;

/**
 * Internal, not for public use. Wire protocol §1.9: a body over the limit is 413, an unreadable one 400, and a body
 * on a {@code GET} or {@code HEAD} (which the socket layer takes off and marks with {@value #REFUSED_BODY}) 400
 * {@code body_not_allowed}.
 */
public final class BodyLimitFilter implements Filter {
    /** The header (lower case) the socket layer puts in place of a refused body. */
    public static final String REFUSED_BODY = "x-fake-body-refused";

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
        if (exchange.request().header(REFUSED_BODY) != null) {
            return EngineResponse.json(
                    400,
                    ApiError.envelope(
                            "INVALID_REQUEST",
                            exchange.request().method() + " must not carry a body",
                            Wire.reasonNode("body_not_allowed"),
                            requestId));
        }
        if (exchange.unreadable()) {
            return EngineResponse.json(
                    400, ApiError.envelope("INVALID_REQUEST", "Request could not be read", null, requestId));
        }
        return next.proceed(exchange);
    }
}

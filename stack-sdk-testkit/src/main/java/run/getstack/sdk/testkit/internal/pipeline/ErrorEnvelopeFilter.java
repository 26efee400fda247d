package run.getstack.sdk.testkit.internal.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.SafePath;

/**
 * Internal, not for public use. Turns an {@link ApiError} thrown further in into STACK's error envelope, and any
 * other failure into 500 {@code INTERNAL_ERROR} (logged with the masked path, never the raw one).
 */
public final class ErrorEnvelopeFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorEnvelopeFilter.class);

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        String requestId = exchange.request().requestId();
        try {
            return next.proceed(exchange);
        } catch (ApiError e) {
            return toResponse(e, requestId);
        } catch (RuntimeException e) {
            LOG.warn(
                    "fake control plane failed on {} {} (request {})",
                    exchange.request().method(),
                    SafePath.of(exchange.request().path()),
                    requestId,
                    e);
            return EngineResponse.json(500, ApiError.envelope("INTERNAL_ERROR", "Internal error", null, requestId));
        }
    }

    /**
     * The envelope response of an error.
     *
     * @param e the error
     * @param requestId request id
     * @return the response
     */
    public static EngineResponse toResponse(ApiError e, String requestId) {
        EngineResponse r = EngineResponse.json(e.status(), e.toBody(requestId));
        r.headers().putAll(e.headers());
        return r;
    }
}

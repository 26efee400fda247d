package run.getstack.sdk.proxy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The upstream did not answer STACK's proxy within its 30 s: 504 {@code UPSTREAM_TIMEOUT}. Not retried. */
public class StackUpstreamTimeoutException extends StackUpstreamException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param httpStatus the status (504)
     * @param errorCode STACK's code
     * @param requestId the request id
     * @param reason {@code details.reason}, if any
     * @param retryAfter the server's Retry-After, if any
     * @param cause the mapped server error
     */
    public StackUpstreamTimeoutException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, reason, retryAfter, cause);
    }
}

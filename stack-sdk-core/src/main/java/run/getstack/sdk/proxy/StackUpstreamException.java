package run.getstack.sdk.proxy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;

/**
 * STACK's proxy could not get an answer from the upstream: 502 {@code UPSTREAM_ERROR} ({@link #reason()} {@code
 * connect_failed}, {@code response_too_large} or {@code protocol_error}). Not retried by the SDK: the call may have
 * reached the upstream.
 */
public class StackUpstreamException extends StackApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param httpStatus the status (502, or 504 for a timeout)
     * @param errorCode STACK's code
     * @param requestId the request id
     * @param reason {@code details.reason}
     * @param retryAfter the server's Retry-After, if any
     * @param cause the mapped server error
     */
    public StackUpstreamException(
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

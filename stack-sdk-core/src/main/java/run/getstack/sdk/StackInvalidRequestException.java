package run.getstack.sdk;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The request was refused as invalid: HTTP 400 or 422 ({@code INVALID_REQUEST}, {@code SCOPE_ESCALATION}, {@code DELEGATION_DEPTH_EXCEEDED}, ...). Retrying the same request will not help. */
public class StackInvalidRequestException extends StackApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong (a bounded excerpt of the server's message at most), without any secret
     * @param httpStatus the HTTP status
     * @param errorCode STACK's error code, if the response had one
     * @param requestId the control plane's request id, if known
     * @param reason {@code error.details.reason}, if the server sent one
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param cause the underlying cause, if any
     */
    public StackInvalidRequestException(
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

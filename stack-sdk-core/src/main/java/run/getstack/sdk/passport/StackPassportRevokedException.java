package run.getstack.sdk.passport;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackAuthenticationException;

/** The passport was revoked ({@code PASSPORT_REVOKED}). Terminal: the agent's own passport holder never serves or refreshes a revoked passport again; the operator decided the agent must stop. */
public class StackPassportRevokedException extends StackAuthenticationException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status, or 0 when the SDK detected this itself without a request
     * @param errorCode STACK's error code
     * @param requestId the control plane's request id, if known
     * @param reason {@code error.details.reason}, if the server sent one
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param cause the underlying cause, if any
     */
    public StackPassportRevokedException(
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

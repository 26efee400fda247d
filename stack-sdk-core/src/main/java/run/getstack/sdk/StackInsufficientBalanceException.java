package run.getstack.sdk;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The account's wallet cannot pay for the call: STACK answered {@code INSUFFICIENT_BALANCE} or {@code
 * INSUFFICIENT_CREDITS} (HTTP 402). Nothing was charged or done; the owner tops the wallet up, retrying does not help
 * until then.
 */
public class StackInsufficientBalanceException extends StackApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status
     * @param errorCode {@code INSUFFICIENT_BALANCE} or {@code INSUFFICIENT_CREDITS}
     * @param requestId the control plane's request id, if known
     * @param reason {@code error.details.reason}, if the server sent one
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     */
    public StackInsufficientBalanceException(
            String message,
            int httpStatus,
            String errorCode,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter) {
        super(message, httpStatus, errorCode, requestId, reason, retryAfter, null);
    }

    /**
     * Creates an exception with a cause, for subtypes that say more (for example a skill's price).
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status
     * @param errorCode the error code, if any
     * @param requestId the control plane's request id, if known
     * @param reason {@code error.details.reason}, if the server sent one
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param cause the cause, if any
     */
    protected StackInsufficientBalanceException(
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

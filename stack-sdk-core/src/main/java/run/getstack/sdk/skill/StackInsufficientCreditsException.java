package run.getstack.sdk.skill;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackInsufficientBalanceException;

/**
 * The operator's wallet holds less than the price ({@code INSUFFICIENT_CREDITS}, HTTP 402), for example of a paid
 * skill. Nothing was charged or run. Not retried: top up the wallet. A {@link StackInsufficientBalanceException}, so one
 * catch handles every wallet refusal.
 */
public class StackInsufficientCreditsException extends StackInsufficientBalanceException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened (no secret)
     * @param httpStatus the status
     * @param errorCode {@code INSUFFICIENT_CREDITS}
     * @param requestId the request id, if any
     * @param reason {@code error.details.reason}, if any
     * @param retryAfter the server's {@code Retry-After}, if any
     * @param cause the cause, if any
     */
    public StackInsufficientCreditsException(
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

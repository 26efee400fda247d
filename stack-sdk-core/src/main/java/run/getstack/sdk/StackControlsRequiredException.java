package run.getstack.sdk;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The account's controls feature is off: STACK answered {@code CONTROLS_REQUIRED} (HTTP 402) or {@code
 * CONTROLS_NOT_ENABLED}. The owner turns controls on at Console → Billing; retrying does not help until then.
 * {@link #errorCode()} tells which of the two codes it was.
 */
public class StackControlsRequiredException extends StackApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status
     * @param errorCode {@code CONTROLS_REQUIRED} or {@code CONTROLS_NOT_ENABLED}
     * @param requestId the control plane's request id, if known
     * @param reason {@code error.details.reason}, if the server sent one
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     */
    public StackControlsRequiredException(
            String message,
            int httpStatus,
            String errorCode,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter) {
        super(message, httpStatus, errorCode, requestId, reason, retryAfter, null);
    }
}

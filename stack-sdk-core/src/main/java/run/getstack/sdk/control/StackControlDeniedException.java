package run.getstack.sdk.control;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * A control policy refused the call (403 {@code CONTROL_DENIED}, docs/wire-protocol.md §15): the policy only narrows
 * what the passport allows, and nothing reached the upstream. {@link #denial()} says why; a call held for the owner's
 * review is the subclass {@link StackReviewRequiredException}. Retrying does not help: the policy, the mission's
 * recipients or the owner's decision must change.
 */
public class StackControlDeniedException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** STACK's error code: {@value}. */
    public static final String CODE = "CONTROL_DENIED";

    /** Why the policy refused the call. */
    private final ControlDenialReason denial;

    /**
     * Creates the exception.
     *
     * @param message what was refused, without any secret
     * @param httpStatus the status (403)
     * @param requestId the request id, if known
     * @param reason {@code details.reason}, if the server sent one
     * @param retryAfter the server's Retry-After, if any
     * @param cause the mapped server error, if any
     */
    public StackControlDeniedException(
            String message,
            int httpStatus,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, CODE, requestId, reason, retryAfter, cause);
        this.denial = ControlDenialReason.fromWire(reason);
    }

    /**
     * Returns why the policy refused the call.
     *
     * @return the reason ({@link ControlDenialReason#UNKNOWN} for one this SDK does not know)
     */
    public ControlDenialReason denial() {
        return denial;
    }
}

package run.getstack.sdk.proxy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * A constraint of the passport's service scope refused the proxy call (403 {@code FORBIDDEN}, {@code
 * details.reason} {@code constraint_failed}): the method, URL, header, query or body is outside what the passport
 * allows for the service. Nothing reached the upstream.
 */
public class StackConstraintFailedException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** The {@code details.reason} STACK sends: {@value}. */
    public static final String REASON = "constraint_failed";

    /**
     * Creates the exception.
     *
     * @param message what was refused
     * @param httpStatus the status (403)
     * @param errorCode STACK's code
     * @param requestId the request id
     * @param retryAfter the server's Retry-After, if any
     * @param cause the mapped server error
     */
    public StackConstraintFailedException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, REASON, retryAfter, cause);
    }
}

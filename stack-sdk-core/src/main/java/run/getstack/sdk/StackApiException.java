package run.getstack.sdk;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The control plane answered with an HTTP error status. Subclasses name the category ({@link StackNotFoundException},
 * {@link StackRateLimitedException}, ...); this class itself is used for statuses without a category of their own
 * (402, 405, 410, 413, a 3xx the SDK does not follow, ...).
 *
 * <p>Besides the status, STACK error code and request id of {@link StackException}, it carries
 * {@code error.details.reason} when the server sent one, and the server's {@code Retry-After} when present.
 */
public class StackApiException extends StackException {
    private static final long serialVersionUID = 1L;

    /** {@code error.details.reason}, if the server sent one. */
    private final @Nullable String reason;

    /** The server's {@code Retry-After}, if it sent one. */
    private final @Nullable Duration retryAfter;

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
    public StackApiException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /**
     * Returns {@code error.details.reason} of STACK's error body, such as {@code agent_suspended}.
     *
     * @return the reason, or null when the server sent none
     */
    public @Nullable String reason() {
        return reason;
    }

    /**
     * Returns how long the server asked the client to wait before trying again ({@code Retry-After}).
     *
     * @return the delay, or empty when the response carried no usable {@code Retry-After}
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * No usable HTTP response was received: the connection could not be made, was reset, or (subclasses) timed out or
 * was not attempted because the host's circuit breaker is open. {@link #httpStatus()} is 0.
 */
public class StackNetworkException extends StackException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param requestId the SDK's request id of the logical call, if known
     * @param cause the underlying I/O failure, if any
     */
    public StackNetworkException(String message, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, 0, null, requestId, cause);
    }
}

package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker for the control plane's host is open after repeated failures, so the SDK did not send the
 * request at all. It lets a trial request through again after the wait configured in {@link CircuitBreakerPolicy}.
 */
public class StackCircuitOpenException extends StackNetworkException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param requestId the SDK's request id of the logical call, if known
     */
    public StackCircuitOpenException(String message, @Nullable String requestId) {
        super(message, requestId, null);
    }
}

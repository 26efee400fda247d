package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * The calling thread was interrupted while the SDK waited (between retries, for a refresh, for a response). The SDK
 * stops at once and restores the thread's interrupt flag before throwing this.
 */
public class StackInterruptedException extends StackException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was interrupted
     * @param requestId the SDK's request id of the logical call, if known
     * @param cause the {@link InterruptedException} or interrupted I/O, if any
     */
    public StackInterruptedException(String message, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, 0, null, requestId, cause);
    }
}

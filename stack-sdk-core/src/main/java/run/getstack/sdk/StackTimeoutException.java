package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * A timeout expired before a response was complete. {@link #timeout()} names which one; the message does too.
 */
public class StackTimeoutException extends StackNetworkException {
    private static final long serialVersionUID = 1L;

    /** Which of the client's timeouts expired. */
    public enum Kind {
        /** {@code connectTimeout}: the TCP/TLS connection was not established in time. */
        CONNECT,
        /** {@code readTimeout}: the server went silent for too long while answering. */
        READ,
        /** {@code callTimeout}: one attempt, from start to the last response byte, took too long. */
        CALL
    }

    /** Which timeout expired. */
    private final Kind timeout;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param timeout which timeout expired
     * @param requestId the SDK's request id of the logical call, if known
     * @param cause the underlying I/O failure, if any
     */
    public StackTimeoutException(String message, Kind timeout, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, requestId, cause);
        this.timeout = timeout;
    }

    /**
     * Returns which timeout expired.
     *
     * @return the kind of timeout
     */
    public Kind timeout() {
        return timeout;
    }
}

package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * The control plane's response could not be used: not JSON (an HTML error page, say), JSON of the wrong shape, a
 * body larger than {@code maxResponseBytes}, or a body cut short. The message says which; it never contains the
 * body itself. {@link #httpStatus()} is the status of the response, which may be a success.
 */
public class StackMalformedResponseException extends StackException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was wrong with the response, without any of its content
     * @param httpStatus the HTTP status of the response
     * @param requestId the control plane's request id, if known
     * @param cause the parser's exception, if any
     */
    public StackMalformedResponseException(
            String message, int httpStatus, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, httpStatus, null, requestId, cause);
    }
}

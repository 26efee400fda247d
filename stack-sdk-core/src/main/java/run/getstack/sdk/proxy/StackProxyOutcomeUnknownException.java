package run.getstack.sdk.proxy;

import java.util.Objects;
import run.getstack.sdk.StackException;

/**
 * A non-GET proxy call whose outcome is unknown: it may or may not have run upstream (the connection dropped after
 * sending, the control plane failed, retries ran out). STACK does not resend such an operation by itself, and
 * neither does the SDK under a new id. To learn the outcome or finish the operation, resend the same request with
 * {@link ProxyRequest.Builder#authorityRequestId(String)} set to {@link #authorityRequestId()}: STACK then runs it
 * at most once. {@link #getCause()} is the failure.
 */
public class StackProxyOutcomeUnknownException extends StackException {
    private static final long serialVersionUID = 1L;

    /** The id the call was sent under. */
    private final String authorityRequestId;

    /**
     * Creates the exception.
     *
     * @param message what is unknown
     * @param authorityRequestId the id the call was sent under
     * @param cause the failure
     */
    public StackProxyOutcomeUnknownException(String message, String authorityRequestId, StackException cause) {
        super(message, cause.httpStatus(), cause.errorCode(), cause.requestId(), cause);
        this.authorityRequestId = Objects.requireNonNull(authorityRequestId, "authorityRequestId");
    }

    /**
     * Returns the {@code authority_request_id} the call was sent under.
     *
     * @return the id
     */
    public String authorityRequestId() {
        return authorityRequestId;
    }
}

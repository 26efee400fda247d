package run.getstack.sdk.skill;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;

/**
 * An invocation did not finish within the wait the caller allowed ({@link Skills#awaitResult}, {@link
 * Skills#invokeAndWait}). It may still finish: read it later with {@link Skills#invocation(String)}.
 */
public class StackSkillTimeoutException extends StackException {
    private static final long serialVersionUID = 1L;

    /** The invocation still running. */
    private final String invocationId;

    /** Its state at the last read. */
    private final InvocationStatus lastStatus;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param invocationId the invocation
     * @param lastStatus its state at the last read
     * @param requestId the last request's id, if known
     */
    public StackSkillTimeoutException(
            String message, String invocationId, InvocationStatus lastStatus, @Nullable String requestId) {
        super(message, 0, null, requestId, null);
        this.invocationId = invocationId;
        this.lastStatus = lastStatus;
    }

    /**
     * Returns the invocation that had not finished.
     *
     * @return {@code sreq_…}
     */
    public String invocationId() {
        return invocationId;
    }

    /**
     * Returns the invocation's state at the last read.
     *
     * @return the state
     */
    public InvocationStatus lastStatus() {
        return lastStatus;
    }
}

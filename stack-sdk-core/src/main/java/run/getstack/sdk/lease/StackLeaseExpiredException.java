package run.getstack.sdk.lease;

import run.getstack.sdk.StackException;

/** A lease's value was asked for at or after its expiry: an expired credential is never served. */
public class StackLeaseExpiredException extends StackException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which lease (fingerprint) and when it expired
     */
    public StackLeaseExpiredException(String message) {
        super(message);
    }
}

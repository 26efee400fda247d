package run.getstack.sdk.audit;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;

/**
 * The audit writer could not record an event: it is closed, its spool failed, or (subclass {@link
 * StackAuditFullException}) it is full. Never thrown for network trouble: events the control plane cannot take wait
 * in the spool.
 */
public class StackAuditException extends StackException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, without any secret
     * @param cause the cause, if any
     */
    public StackAuditException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

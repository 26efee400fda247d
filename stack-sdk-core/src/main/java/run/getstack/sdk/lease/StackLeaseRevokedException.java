package run.getstack.sdk.lease;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;

/**
 * A lease's value was asked for after the lease ended before its expiry: the hold was closed, the lease released,
 * its passport revoked or checked out, its renewal refused for unknown revocation state, or the client closed.
 * {@link #why()} says which.
 */
public class StackLeaseRevokedException extends StackException {
    private static final long serialVersionUID = 1L;

    /** Why a lease ended before its expiry. */
    public enum Why {
        /** This hold was closed. */
        CLOSED,
        /** The lease was released (its last hold closed, or it was replaced after {@link Lease#invalidate()}). */
        RELEASED,
        /** The lease's passport (or its agent) was revoked. */
        PASSPORT_REVOKED,
        /** The lease's passport was checked out. */
        PASSPORT_CHECKED_OUT,
        /** The client was closed. */
        CLIENT_CLOSED,
        /**
         * Renewing the lease needed fresh revocation knowledge of its passport and none could be had within {@code
         * StackClient.Builder.revocationStaleness(Duration)} (fail closed): the lease stopped serving. A new lease
         * is acquired once the control plane answers again.
         */
        REVOCATION_UNKNOWN
    }

    /** Why the lease ended. */
    private final Why why;

    /**
     * Creates the exception.
     *
     * @param message which lease (fingerprint) and why
     * @param why why it ended
     * @param cause the failure that ended it, if any
     */
    public StackLeaseRevokedException(String message, Why why, @Nullable Throwable cause) {
        super(message, cause);
        this.why = Objects.requireNonNull(why, "why");
    }

    /**
     * Returns why the lease ended.
     *
     * @return the reason
     */
    public Why why() {
        return why;
    }
}

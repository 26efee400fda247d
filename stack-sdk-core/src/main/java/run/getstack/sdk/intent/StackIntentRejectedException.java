package run.getstack.sdk.intent;

import run.getstack.sdk.passport.StackPassportRevokedException;

/**
 * The owner rejected the intent. STACK revokes the passport it was submitted under, and the SDK treats the rejection
 * as that revocation: every resource of the client refuses the passport from now on. With {@link #blockFuture()} the
 * agent is blocked too, and a new passport needs a person to unblock it.
 */
public class StackIntentRejectedException extends StackPassportRevokedException {
    private static final long serialVersionUID = 1L;

    /** See {@link #approvalId()}. */
    private final String approvalId;
    /** See {@link #blockFuture()}. */
    private final boolean blockFuture;

    /**
     * Creates an exception.
     *
     * @param message what happened, without any secret
     * @param approvalId the rejected approval
     * @param blockFuture whether the agent was blocked too
     */
    public StackIntentRejectedException(String message, String approvalId, boolean blockFuture) {
        super(message, 0, "PASSPORT_REVOKED", null, "intent_rejected", null, null);
        this.approvalId = approvalId;
        this.blockFuture = blockFuture;
    }

    /**
     * Returns the rejected approval.
     *
     * @return the {@code ia_…} id
     */
    public String approvalId() {
        return approvalId;
    }

    /**
     * Tells whether the owner blocked the agent's future passports too.
     *
     * @return true if blocked
     */
    public boolean blockFuture() {
        return blockFuture;
    }
}

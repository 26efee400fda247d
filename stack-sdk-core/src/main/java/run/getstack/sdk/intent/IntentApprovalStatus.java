package run.getstack.sdk.intent;

import java.util.Locale;

/** Where an intent approval ({@code ia_…}) stands. */
public enum IntentApprovalStatus {
    /** Waiting for the owner's decision. */
    PENDING,
    /** Approved: the call it names may be made once, with its id. */
    APPROVED,
    /** Rejected: STACK revoked the passport it was submitted under. */
    REJECTED,
    /** Lapsed before it was decided or used. */
    EXPIRED,
    /** Used by the call it approved; it cannot be used again. */
    CONSUMED;

    /**
     * Returns the status for STACK's value.
     *
     * @param wire for example {@code pending}
     * @return the status
     * @throws IllegalArgumentException for a value STACK does not define
     */
    public static IntentApprovalStatus of(String wire) {
        return switch (wire) {
            case "pending", "approved", "rejected", "expired", "consumed" -> valueOf(wire.toUpperCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("unknown intent approval status");
        };
    }

    /**
     * Tells whether the approval will not change any more by itself (everything but {@link #PENDING}).
     *
     * @return true when decided, lapsed or used
     */
    public boolean isFinal() {
        return this != PENDING;
    }
}

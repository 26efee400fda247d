package run.getstack.sdk.approval;

import java.util.Locale;

/** Where a governance approval ({@code gvr_…}) stands. */
public enum GovernanceApprovalStatus {
    /** Waiting for a person. */
    PENDING,
    /** Approved: the same payload may be sent once with it. */
    APPROVED,
    /** Rejected: the change is not made under it. */
    REJECTED,
    /** Used by the call it approved. */
    CONSUMED,
    /** Lapsed (24 hours after it was asked for). */
    EXPIRED;

    /**
     * Returns the status for STACK's value.
     *
     * @param wire for example {@code pending}
     * @return the status
     * @throws IllegalArgumentException for a value STACK does not define
     */
    public static GovernanceApprovalStatus of(String wire) {
        return switch (wire) {
            case "pending", "approved", "rejected", "consumed", "expired" -> valueOf(wire.toUpperCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("unknown governance approval status");
        };
    }
}

package run.getstack.sdk.testkit.internal.leases;

/** Internal, not for public use. Where a lease stands. */
public enum LeaseState {
    /** Usable until expiry. */
    ACTIVE,
    /** Released by the agent. */
    RELEASED,
    /** Ended by a revocation (passport, connection). */
    REVOKED,
    /** Ended by the passport's checkout. */
    CHECKED_OUT
}

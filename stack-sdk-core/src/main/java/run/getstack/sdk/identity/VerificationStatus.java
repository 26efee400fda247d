package run.getstack.sdk.identity;

/** The state of a verification session (STACK live {@code stack_get_identity_verification}). */
public enum VerificationStatus {
    /** Waiting for the person at the provider. */
    PENDING,
    /** The provider verified the person; the claims exist. */
    COMPLETED,
    /** The provider did not verify the person (final). */
    FAILED,
    /** Not finished before its expiry (final). */
    EXPIRED,
    /** A state this SDK does not know (sent by a newer server). */
    UNKNOWN;

    /**
     * Reads the wire value; an unknown one is {@link #UNKNOWN}, never an error.
     *
     * @param s the wire value, such as {@code active}
     * @return the status
     */
    public static VerificationStatus fromWire(String s) {
        return switch (s) {
            case "pending" -> PENDING;
            case "completed" -> COMPLETED;
            case "failed" -> FAILED;
            case "expired" -> EXPIRED;
            default -> UNKNOWN;
        };
    }
}

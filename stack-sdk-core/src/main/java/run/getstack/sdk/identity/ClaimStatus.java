package run.getstack.sdk.identity;

/** The state of an identity claim (wire protocol §10.2). */
public enum ClaimStatus {
    /** Valid: passports issued now carry it. */
    ACTIVE,
    /** Revoked; the passports that carried it were revoked with it. */
    REVOKED,
    /** Past its expiry. */
    EXPIRED,
    /** A state this SDK does not know (sent by a newer server). */
    UNKNOWN;

    /**
     * Reads the wire value; an unknown one is {@link #UNKNOWN}, never an error.
     *
     * @param s the wire value, such as {@code active}
     * @return the status
     */
    public static ClaimStatus fromWire(String s) {
        return switch (s) {
            case "active" -> ACTIVE;
            case "revoked" -> REVOKED;
            case "expired" -> EXPIRED;
            default -> UNKNOWN;
        };
    }
}

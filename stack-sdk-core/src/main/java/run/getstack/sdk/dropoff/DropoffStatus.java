package run.getstack.sdk.dropoff;

import java.util.Locale;

/** Where a drop-off stands; its states move one way: created, deposited, then collected, expired or failed. */
public enum DropoffStatus {
    /** Created; no package yet. */
    CREATED,
    /** A package waits for a recipient. */
    DEPOSITED,
    /** A recipient took the package; STACK deleted it. */
    COLLECTED,
    /** The drop-off expired (its TTL passed, or it was expired explicitly); any package was deleted. */
    EXPIRED,
    /** STACK gave up on the drop-off. */
    FAILED;

    /**
     * Returns the status for its wire name.
     *
     * @param wire {@code created}, {@code deposited}, {@code collected}, {@code expired} or {@code failed}
     * @return the status
     * @throws IllegalArgumentException for any other value
     */
    public static DropoffStatus fromWire(String wire) {
        return switch (wire) {
            case "created" -> CREATED;
            case "deposited" -> DEPOSITED;
            case "collected" -> COLLECTED;
            case "expired" -> EXPIRED;
            case "failed" -> FAILED;
            default -> throw new IllegalArgumentException("status: not a drop-off status");
        };
    }

    /**
     * Returns the wire name.
     *
     * @return the lower-case name
     */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

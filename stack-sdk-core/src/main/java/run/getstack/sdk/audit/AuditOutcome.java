package run.getstack.sdk.audit;

import java.util.Locale;

/** The outcome of an audited action, as docs/wire-protocol.md §8.5 spells it on the wire (lower case). */
public enum AuditOutcome {
    /** It worked. */
    SUCCESS,
    /** It failed. */
    FAILURE,
    /** It is waiting (an approval, a pause). */
    PENDING,
    /** The SDK, STACK or a policy refused it. */
    BLOCKED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /**
     * Returns the wire value ({@code success}, {@code failure}, {@code pending}, {@code blocked}).
     *
     * @return the wire value
     */
    public String wireValue() {
        return wire;
    }
}

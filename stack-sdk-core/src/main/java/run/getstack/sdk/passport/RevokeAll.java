package run.getstack.sdk.passport;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The explicit confirmation {@link Passports#revokeAll(RevokeAll)} requires: revoking every live passport of the
 * operator stops the whole fleet, so the call takes this value, made only from the exact phrase {@value
 * #CONFIRMATION_PHRASE}, instead of a boolean a typo or a default could set. Immutable.
 *
 * <pre>{@code
 * stack.passports().revokeAll(RevokeAll.confirm("revoke all passports").reason("key leak, incident 4711"));
 * }</pre>
 */
public final class RevokeAll {
    /** The phrase {@link #confirm(String)} requires: {@value}. */
    public static final String CONFIRMATION_PHRASE = "revoke all passports";

    private static final int MAX_REASON_LENGTH = 500;

    private final @Nullable String reason;

    private RevokeAll(@Nullable String reason) {
        this.reason = reason;
    }

    /**
     * Confirms an emergency revocation of every live passport.
     *
     * @param phrase exactly {@value #CONFIRMATION_PHRASE}
     * @return the confirmation, without a reason
     * @throws IllegalArgumentException if the phrase differs in any way
     */
    public static RevokeAll confirm(String phrase) {
        Objects.requireNonNull(phrase, "phrase");
        if (!CONFIRMATION_PHRASE.equals(phrase)) {
            throw new IllegalArgumentException(
                    "phrase: revoking every passport needs the exact phrase \"" + CONFIRMATION_PHRASE + "\"");
        }
        return new RevokeAll(null);
    }

    /**
     * Returns a copy with a reason, recorded with the revocation.
     *
     * @param reason at most 500 characters
     * @return the confirmation with the reason
     */
    public RevokeAll reason(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason: at most " + MAX_REASON_LENGTH + " characters");
        }
        return new RevokeAll(reason);
    }

    /**
     * Returns the reason, or null.
     *
     * @return the reason
     */
    public @Nullable String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "RevokeAll{confirmed, reason=" + reason + '}';
    }
}

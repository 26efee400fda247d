package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.Objects;

/**
 * The control plane's review of a checked-out passport.
 *
 * @param jti the passport
 * @param status {@code clean}, {@code flagged} or {@code blocked}
 * @param checkedOutAt when it was checked out
 */
public record CheckoutResult(String jti, String status, Instant checkedOutAt) {
    /**
     * Creates the value, checking its components.
     *
     * @param jti the passport
     * @param status {@code clean}, {@code flagged} or {@code blocked}
     * @param checkedOutAt when it was checked out
     */
    public CheckoutResult {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedOutAt, "checkedOutAt");
    }
}

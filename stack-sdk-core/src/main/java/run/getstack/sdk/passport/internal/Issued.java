package run.getstack.sdk.passport.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.Passport;

/**
 * Internal, not for public use. A passport with its issue and expiry times on the client's clock (corrected by the
 * skew between the server's {@code Date} and the receive time).
 *
 * @param passport the passport
 * @param localIssuedAt its issue time on the client's clock
 * @param localExpiry its expiry on the client's clock
 * @param missionId the mission the response named, or null
 */
public record Issued(
        Passport passport,
        Instant localIssuedAt,
        Instant localExpiry,
        @Nullable String missionId) {
    /**
     * A passport whose mission the response did not name.
     *
     * @param passport the passport
     * @param localIssuedAt its issue time on the client's clock
     * @param localExpiry its expiry on the client's clock
     */
    public Issued(Passport passport, Instant localIssuedAt, Instant localExpiry) {
        this(passport, localIssuedAt, localExpiry, null);
    }
}

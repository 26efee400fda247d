package run.getstack.sdk.passport.internal;

import java.time.Instant;
import run.getstack.sdk.passport.Passport;

/**
 * Internal, not for public use. A passport with its issue and expiry times on the client's clock (corrected by the
 * skew between the server's {@code Date} and the receive time).
 *
 * @param passport the passport
 * @param localIssuedAt its issue time on the client's clock
 * @param localExpiry its expiry on the client's clock
 */
public record Issued(Passport passport, Instant localIssuedAt, Instant localExpiry) {}

package run.getstack.sdk.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.IdentityClaim;

/**
 * A verification session (wire protocol §10.2). No personal data: only the session, its state and, once completed,
 * the claims it created.
 *
 * @param sessionId the session ({@code idv_…}), STACK's {@code session_ref}
 * @param providerKey the provider
 * @param requestedClaims the claim types asked for
 * @param status its state
 * @param redirectUrl where the person completes it at the provider, if the provider has a web flow
 * @param expiresAt when an unfinished session expires
 * @param claims the claims it created (empty until completed)
 */
public record Verification(
        String sessionId,
        String providerKey,
        List<String> requestedClaims,
        VerificationStatus status,
        @Nullable String redirectUrl,
        Instant expiresAt,
        List<IdentityClaim> claims) {
    /**
     * Creates the value, copying the lists.
     *
     * @param sessionId the session
     * @param providerKey the provider
     * @param requestedClaims the claim types asked for
     * @param status the state
     * @param redirectUrl the provider's URL, or null
     * @param expiresAt the expiry
     * @param claims the claims created
     */
    public Verification {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(providerKey, "providerKey");
        requestedClaims = List.copyOf(requestedClaims);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = List.copyOf(claims);
    }
}

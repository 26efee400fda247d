package run.getstack.sdk.identity;

import java.util.List;

/**
 * STACK's identity claims ({@code client.identity()}, wire protocol §10.2), called with the client's API key (the
 * operator's or a member's). Thread-safe. Every method refuses a malformed argument locally with an {@link
 * IllegalArgumentException} naming the field, before anything is sent.
 */
public interface Identity {
    /**
     * Lists the identity providers the control plane offers ({@code GET /v1/identity/providers}).
     *
     * @return the providers, in the server's order
     */
    List<IdentityProvider> providers();

    /**
     * Lists the operator's claims ({@code GET /v1/identity/claims}), active, revoked and expired alike.
     *
     * @return the claims, in the server's order
     */
    List<VerifiedClaim> claims();

    /**
     * Starts a verification of the human behind the operator with a provider ({@code POST
     * /v1/identity/verifications}). The person completes it at the provider ({@link Verification#redirectUrl()}).
     *
     * @param providerKey the provider, such as {@code bankid_se} ({@link IdentityProvider#providerKey()})
     * @param claimTypes what to verify, such as {@code verified_human}; none asks for {@code verified_human}
     * @return the pending session
     */
    Verification startVerification(String providerKey, String... claimTypes);

    /**
     * Reads a verification session ({@code GET /v1/identity/verifications/{session_id}}).
     *
     * @param sessionId the session ({@link Verification#sessionId()})
     * @return its state now
     */
    Verification verification(String sessionId);

    /**
     * Completes a verification the person finished at the provider ({@code POST
     * /v1/identity/verifications/complete}, the Python SDK's {@code complete_verification}): returns the session with
     * its new claims.
     *
     * @param verification the session {@link #startVerification} returned
     * @return the completed session, with {@link Verification#claims()}
     * @throws run.getstack.sdk.StackConflictException when the session is not completed (reason {@code
     *     verification_pending}, {@code verification_failed} or {@code verification_expired})
     */
    Verification completeVerification(Verification verification);

    /**
     * Revokes a claim ({@code DELETE /v1/identity/claims/{claim_id}}): every live passport carrying it is revoked at
     * once, as one {@code bulk_claim} revocation. Revoking a revoked claim revokes nothing more.
     *
     * @param claimId the claim ({@code clm_…})
     * @return how many passports it revoked
     */
    ClaimRevocation revokeClaim(String claimId);
}

package run.getstack.sdk.identity;

import java.util.Objects;
import run.getstack.sdk.passport.IdentityClaim;

/**
 * One of the operator's identity claims and its state ({@code GET /v1/identity/claims}). Holds no personal data.
 *
 * @param claim the claim, with the members a passport carries
 * @param status its state
 */
public record VerifiedClaim(IdentityClaim claim, ClaimStatus status) {
    /**
     * Creates the value.
     *
     * @param claim the claim
     * @param status its state
     */
    public VerifiedClaim {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(status, "status");
    }

    /**
     * Returns the claim's id.
     *
     * @return {@code clm_…}
     */
    public String claimId() {
        return claim.claimId();
    }
}

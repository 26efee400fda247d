package run.getstack.sdk.identity;

import java.util.Objects;

/**
 * The result of revoking an identity claim.
 *
 * @param claimId the claim
 * @param revokedCount how many passports its revocation revoked (delegated descendants included); 0 when it was
 *     already revoked
 */
public record ClaimRevocation(String claimId, int revokedCount) {
    /**
     * Creates the value.
     *
     * @param claimId the claim
     * @param revokedCount the count, not negative
     */
    public ClaimRevocation {
        Objects.requireNonNull(claimId, "claimId");
        if (revokedCount < 0) {
            throw new IllegalArgumentException("revokedCount: must not be negative");
        }
    }
}

package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.Objects;

/**
 * One identity claim a passport carries ({@code stk.identity_claims[]}, wire protocol §3.2): that a provider verified
 * something about the human behind the agent, at a layer and an assurance level. It names the claim, never the
 * person: a claim holds no personal data (STACK keeps that encrypted at rest and never puts it in a passport).
 *
 * @param claimId the claim ({@code clm_…})
 * @param provider the provider's key, such as {@code bankid_se}
 * @param layer {@code humanity}, {@code identity} or {@code delegation} (STACK's L1–L3; a new layer is kept as sent)
 * @param claimType what was verified, such as {@code verified_human}
 * @param assuranceLevel {@code substantial} or {@code high} (kept as sent)
 * @param verifiedAt when the provider verified it
 * @param expiresAt when the claim lapses
 */
public record IdentityClaim(
        String claimId,
        String provider,
        String layer,
        String claimType,
        String assuranceLevel,
        Instant verifiedAt,
        Instant expiresAt) {
    /** STACK's L1 layer: a verified human. */
    public static final String LAYER_HUMANITY = "humanity";

    /** STACK's L2 layer: a verified legal identity. */
    public static final String LAYER_IDENTITY = "identity";

    /** STACK's L3 layer: delegated authority. */
    public static final String LAYER_DELEGATION = "delegation";

    /**
     * Creates the value, checking its components.
     *
     * @param claimId the claim
     * @param provider the provider's key
     * @param layer the layer
     * @param claimType the claim type
     * @param assuranceLevel the assurance level
     * @param verifiedAt when verified
     * @param expiresAt when it lapses
     */
    public IdentityClaim {
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(claimType, "claimType");
        Objects.requireNonNull(assuranceLevel, "assuranceLevel");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Tells whether the claim is still valid at an instant (the passport's own expiry is checked separately).
     *
     * @param now the instant
     * @return true before {@link #expiresAt()}
     */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}

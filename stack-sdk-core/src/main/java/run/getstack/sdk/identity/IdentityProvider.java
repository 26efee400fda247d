package run.getstack.sdk.identity;

import java.util.List;
import java.util.Objects;

/**
 * An identity provider the control plane offers (wire protocol §10.2).
 *
 * @param id the provider's id ({@code idp_…})
 * @param name its display name
 * @param providerKey the key to start a verification with, such as {@code bankid_se}
 * @param supportedLayers the layers it verifies ({@code humanity}, {@code identity}, ...)
 * @param claimTypes the claim types it issues ({@code verified_human}, ...)
 * @param assuranceLevel {@code substantial} or {@code high}
 */
public record IdentityProvider(
        String id,
        String name,
        String providerKey,
        List<String> supportedLayers,
        List<String> claimTypes,
        String assuranceLevel) {
    /**
     * Creates the value, copying the lists.
     *
     * @param id the id
     * @param name the name
     * @param providerKey the key
     * @param supportedLayers the layers
     * @param claimTypes the claim types
     * @param assuranceLevel the assurance level
     */
    public IdentityProvider {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(providerKey, "providerKey");
        supportedLayers = List.copyOf(supportedLayers);
        claimTypes = List.copyOf(claimTypes);
        Objects.requireNonNull(assuranceLevel, "assuranceLevel");
    }
}

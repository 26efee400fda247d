package run.getstack.sdk.service;

import java.util.List;
import java.util.Objects;

/**
 * A service of STACK's catalog that an operator can connect.
 *
 * @param id the catalog id ({@code svc_…})
 * @param provider the provider slug ({@code slack}, {@code openai})
 * @param name the display name
 * @param authType how it authenticates: {@code oauth}, {@code api_key}, {@code multi_field} (kept as sent)
 * @param fields for {@code multi_field} services, the field names; else empty
 */
public record CatalogService(String id, String provider, String name, String authType, List<String> fields) {
    /**
     * Checks the values and copies the list.
     *
     * @param id the id
     * @param provider the provider
     * @param name the name
     * @param authType the auth type
     * @param fields the fields
     */
    public CatalogService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authType, "authType");
        fields = List.copyOf(fields);
    }
}

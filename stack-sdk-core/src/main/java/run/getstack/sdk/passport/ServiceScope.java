package run.getstack.sdk.passport;

import java.util.List;
import java.util.Objects;

/**
 * The scopes requested on one service connection.
 *
 * @param serviceConnectionId the connection ({@code svc_conn_...})
 * @param scopes the scopes, at least one
 */
public record ServiceScope(String serviceConnectionId, List<String> scopes) {
    /**
     * Creates the value, checking its components.
     *
     * @param serviceConnectionId the connection ({@code svc_conn_...})
     * @param scopes the scopes, at least one
     */
    public ServiceScope {
        Objects.requireNonNull(serviceConnectionId, "serviceConnectionId");
        if (serviceConnectionId.isEmpty() || serviceConnectionId.length() > 128) {
            throw new IllegalArgumentException("serviceConnectionId: must be 1 to 128 characters");
        }
        scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("scopes: at least one scope is required");
        }
    }
}

package run.getstack.sdk.service;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One of the operator's connections to a service. Never carries the credential.
 *
 * @param id the connection id ({@code svc_conn_…})
 * @param serviceId the catalog service
 * @param provider the provider slug
 * @param scopes the scopes stored on the connection
 * @param status the connection's status ({@code active}, kept as sent)
 * @param createdAt when it was connected
 */
public record ServiceConnection(
        String id, String serviceId, String provider, List<String> scopes, String status, Instant createdAt) {
    /**
     * Checks the values and copies the list.
     *
     * @param id the id
     * @param serviceId the service
     * @param provider the provider
     * @param scopes the scopes
     * @param status the status
     * @param createdAt when connected
     */
    public ServiceConnection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(provider, "provider");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

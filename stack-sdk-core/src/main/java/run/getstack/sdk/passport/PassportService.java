package run.getstack.sdk.passport;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One service connection a passport grants ({@code stk.services[]}): which service and which scopes. Immutable. */
public final class PassportService {
    private final String serviceId;
    private final String serviceName;
    private final Set<String> scopes;
    private final @Nullable String credentialRef;
    private final List<PassportConstraint> constraints;

    PassportService(String serviceId, String serviceName, List<String> scopes, @Nullable String credentialRef) {
        this(serviceId, serviceName, scopes, credentialRef, List.of());
    }

    PassportService(
            String serviceId,
            String serviceName,
            List<String> scopes,
            @Nullable String credentialRef,
            List<PassportConstraint> constraints) {
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
        this.credentialRef = credentialRef;
        this.constraints = List.copyOf(constraints);
    }

    /**
     * Returns the proxy constraints on this service ({@code stk.services[].constraints}): every request the proxy makes
     * under this passport for this service must satisfy all of them.
     *
     * @return an unmodifiable list, empty when the service has none
     */
    public List<PassportConstraint> constraints() {
        return constraints;
    }

    /**
     * Returns the service connection id ({@code svc_conn_...}).
     *
     * @return the id
     */
    public String serviceId() {
        return serviceId;
    }

    /**
     * Returns the provider slug, such as {@code slack}.
     *
     * @return the service name
     */
    public String serviceName() {
        return serviceName;
    }

    /**
     * Returns the granted scopes, in token order.
     *
     * @return an unmodifiable set
     */
    public Set<String> scopes() {
        return scopes;
    }

    /**
     * Returns the opaque credential reference ({@code cred_ref_...}).
     *
     * @return the reference, or null when the passport has none
     */
    public @Nullable String credentialRef() {
        return credentialRef;
    }

    /**
     * Tells whether this service grants a scope (exact match).
     *
     * @param scope the scope, such as {@code charges:read}
     * @return true if granted
     */
    public boolean allows(String scope) {
        return scopes.contains(scope);
    }

    @Override
    public String toString() {
        return "PassportService{" + serviceName + " (" + serviceId + "), scopes=" + scopes
                + (constraints.isEmpty() ? "" : ", constraints=" + constraints) + '}';
    }
}

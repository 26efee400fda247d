package run.getstack.sdk.credential;

import java.util.List;
import java.util.Objects;
import run.getstack.sdk.StackPermissionException;

/**
 * A credential, lease or proxy call for a service outside the passport's services, refused by the SDK before
 * anything was sent: STACK answers such a request with 403 {@code FORBIDDEN} {@code credential_outside_scope} and a
 * security event that can revoke the passport. {@link #reason()} is {@code credential_outside_scope}; {@link
 * #httpStatus()} is 0 (no request was made).
 */
public class StackCredentialOutsideScopeException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** The reason this exception reports: {@value}. */
    public static final String REASON = "credential_outside_scope";

    /** The provider or connection id asked for. */
    private final String requested;

    /** What the passport includes. */
    private final List<String> passportServices;

    /**
     * Creates the exception.
     *
     * @param message what was refused and what to do
     * @param requested the provider or connection id asked for
     * @param passportServices what the passport does include
     */
    public StackCredentialOutsideScopeException(String message, String requested, List<String> passportServices) {
        super(message, 0, null, null, REASON, null, null);
        this.requested = Objects.requireNonNull(requested, "requested");
        this.passportServices = List.copyOf(passportServices);
    }

    /**
     * Returns the provider or connection id that was asked for.
     *
     * @return the provider or connection id
     */
    public String requested() {
        return requested;
    }

    /**
     * Returns the services (provider slugs, or connection ids for a by-connection request) the passport includes.
     *
     * @return the passport's services
     */
    public List<String> passportServices() {
        return passportServices;
    }
}

package run.getstack.sdk.service;

import java.util.List;
import java.util.Objects;

/** Input rules shared by {@link ConnectRequest} and {@link GrantRequest}. */
final class ServiceRules {
    static final int MAX_SCOPES = 100;
    static final int MAX_SCOPE_LENGTH = 256;

    private ServiceRules() {}

    static List<String> scopes(List<String> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        List<String> copy = List.copyOf(scopes);
        if (copy.isEmpty() || copy.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("scopes: must hold 1 to " + MAX_SCOPES + " scopes");
        }
        for (String s : copy) {
            if (s.isEmpty() || s.length() > MAX_SCOPE_LENGTH) {
                throw new IllegalArgumentException(
                        "scopes: each scope must be 1 to " + MAX_SCOPE_LENGTH + " characters");
            }
        }
        return copy;
    }
}

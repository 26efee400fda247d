package run.getstack.sdk.service;

import java.util.Objects;

/**
 * The result of {@link Services#disconnect(String)}: the connection is gone, and with it the grants on it, the
 * leases from it and every passport that carried it.
 *
 * @param connectionId the connection
 * @param revokedCount passports revoked, delegated descendants included
 */
public record Disconnection(String connectionId, long revokedCount) {
    /**
     * Checks the values.
     *
     * @param connectionId the connection
     * @param revokedCount zero or more
     */
    public Disconnection {
        Objects.requireNonNull(connectionId, "connectionId");
    }
}

package run.getstack.sdk.passport;

import java.util.Objects;

/**
 * The result of revoking a session: its root passport and everything delegated from it.
 *
 * @param sessionId the session
 * @param revokedCount passports revoked
 */
public record SessionRevocationResult(String sessionId, long revokedCount) {
    /**
     * Checks the values.
     *
     * @param sessionId the session
     * @param revokedCount zero or more
     */
    public SessionRevocationResult {
        Objects.requireNonNull(sessionId, "sessionId");
    }
}

package run.getstack.sdk.testkit;

import java.time.Instant;

/**
 * A passport issued through {@link Seed#passport}; {@link #toString()} never shows the token.
 *
 * @param jti {@code pp_…}
 * @param token the signed passport JWT
 * @param agentId agent
 * @param sessionId session
 * @param expiresAt expiry
 * @param missionId the mission it belongs to (seeding opens one when the request names none)
 */
public record SeededPassport(
        String jti, String token, String agentId, String sessionId, Instant expiresAt, String missionId) {
    @Override
    public String toString() {
        return "SeededPassport[jti=" + jti + ", agentId=" + agentId + ", missionId=" + missionId + ", expiresAt="
                + expiresAt + "]";
    }
}

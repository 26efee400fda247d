package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A live passport as listed by {@code GET /v1/passports/active} (no token).
 *
 * @param jti the passport's id
 * @param agentId its agent
 * @param sessionId its session
 * @param delegationDepth 0 for a root
 * @param parentJti the parent, or null for a root
 * @param issuedAt when it was issued
 * @param expiresAt its server-side expiry
 */
public record ActivePassport(
        String jti,
        String agentId,
        String sessionId,
        int delegationDepth,
        @Nullable String parentJti,
        Instant issuedAt,
        Instant expiresAt) {
    /**
     * Creates the value, checking its components.
     *
     * @param jti the passport's id
     * @param agentId its agent
     * @param sessionId its session
     * @param delegationDepth 0 for a root
     * @param parentJti the parent, or null for a root
     * @param issuedAt when it was issued
     * @param expiresAt its server-side expiry
     */
    public ActivePassport {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

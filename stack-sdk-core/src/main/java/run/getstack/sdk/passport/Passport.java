package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;

/**
 * An issued passport. The token is held in a {@link Secret}, so {@link #toString()} never shows it.
 *
 * @param token the passport JWT
 * @param jti the passport's id ({@code pp_...})
 * @param agentId the agent it was issued to, if the server said
 * @param sessionId the session it belongs to, if the server said
 * @param delegationDepth 0 for a root passport, 1 to 4 for delegated ones
 * @param parentJti the parent's id for a delegated passport, else null
 * @param issuedAt when it was issued (the server's time; the receive time when the server did not say)
 * @param expiresAt when it expires, as the control plane reported it
 */
public record Passport(
        Secret token,
        String jti,
        @Nullable String agentId,
        @Nullable String sessionId,
        int delegationDepth,
        @Nullable String parentJti,
        Instant issuedAt,
        Instant expiresAt) {
    /**
     * Creates the value, checking its components.
     *
     * @param token the passport JWT
     * @param jti the passport's id ({@code pp_...})
     * @param agentId the agent it was issued to, if the server said
     * @param sessionId the session it belongs to, if the server said
     * @param delegationDepth 0 for a root passport, 1 to 4 for delegated ones
     * @param parentJti the parent's id for a delegated passport, else null
     * @param issuedAt when it was issued (the server's time; the receive time when the server did not say)
     * @param expiresAt when it expires, as the control plane reported it
     */
    public Passport {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (delegationDepth < 0) {
            throw new IllegalArgumentException("delegationDepth: must not be negative");
        }
    }

    /**
     * Returns the lifetime from issue to expiry.
     *
     * @return the lifetime, zero if the times are inverted
     */
    public java.time.Duration lifetime() {
        java.time.Duration d = java.time.Duration.between(issuedAt, expiresAt);
        return d.isNegative() ? java.time.Duration.ZERO : d;
    }
}

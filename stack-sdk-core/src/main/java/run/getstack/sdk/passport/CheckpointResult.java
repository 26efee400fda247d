package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's answer to a checkpoint.
 *
 * @param jti the passport
 * @param expiresAt its new server-side expiry
 * @param accepted whether the checkpoint was accepted
 * @param signals security signals raised by the report
 * @param resigned the same passport re-signed with the new expiry ({@code enforced} mode), or null
 */
public record CheckpointResult(
        String jti,
        Instant expiresAt,
        boolean accepted,
        List<Signal> signals,
        @Nullable Passport resigned) {
    /**
     * Creates the value, checking its components.
     *
     * @param jti the passport
     * @param expiresAt its new server-side expiry
     * @param accepted whether the checkpoint was accepted
     * @param signals security signals raised by the report
     * @param resigned the same passport re-signed with the new expiry ({@code enforced} mode), or null
     */
    public CheckpointResult {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        signals = List.copyOf(signals);
    }

    /**
     * Returns the re-signed passport as an optional.
     *
     * @return the re-signed passport, if the server sent one
     */
    public Optional<Passport> resignedPassport() {
        return Optional.ofNullable(resigned);
    }

    /**
     * A security signal raised by a checkpoint.
     *
     * @param signalType the signal ({@code credential_outside_scope}, ...)
     * @param severity its severity
     * @param securityEventId the security event recorded, if any
     * @param action {@code notified} or {@code blocked}
     */
    public record Signal(
            String signalType, String severity, @Nullable String securityEventId, String action) {
        /**
         * Creates the value, checking its components.
         *
         * @param signalType the signal ({@code credential_outside_scope}, ...)
         * @param severity its severity
         * @param securityEventId the security event recorded, if any
         * @param action {@code notified} or {@code blocked}
         */
        public Signal {
            Objects.requireNonNull(signalType, "signalType");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(action, "action");
        }
    }
}

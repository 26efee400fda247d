package run.getstack.sdk.security;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A security event STACK's detectors recorded. {@code signalType} is a plain string: STACK has more detectors than
 * any SDK version knows ({@code credential_burst}, {@code credential_outside_scope}, {@code scope_drift}, {@code
 * post_checkout_access}, {@code checkpoint_silence}, ...). Immutable.
 *
 * @param id the event's id ({@code sev_…})
 * @param operatorId the operator
 * @param agentId the agent it concerns, or null
 * @param passportJti the passport it concerns, or null
 * @param signalType the detector's signal
 * @param severity info, warning or critical
 * @param message STACK's description (server text: show it, do not branch on it)
 * @param metadataJson the detector's context as compact JSON ({@code {}} when none)
 * @param resolved whether an operator resolved it
 * @param resolvedAt when it was resolved, or null
 * @param createdAt when it was raised
 * @param action what STACK did ({@code notified} or {@code blocked}), or null if not reported
 * @param resolutionNote the note given on resolution, or null
 */
public record SecurityEvent(
        String id,
        String operatorId,
        @Nullable String agentId,
        @Nullable String passportJti,
        String signalType,
        Severity severity,
        String message,
        String metadataJson,
        boolean resolved,
        @Nullable Instant resolvedAt,
        Instant createdAt,
        @Nullable String action,
        @Nullable String resolutionNote) {

    /**
     * Checks the required values.
     *
     * @param id the id
     * @param operatorId the operator
     * @param agentId the agent
     * @param passportJti the passport
     * @param signalType the signal
     * @param severity the severity
     * @param message the message
     * @param metadataJson the metadata
     * @param resolved whether resolved
     * @param resolvedAt when resolved
     * @param createdAt when raised
     * @param action what STACK did
     * @param resolutionNote the note
     */
    public SecurityEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(signalType, "signalType");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(metadataJson, "metadataJson");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

package run.getstack.sdk.testkit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A detector alert as {@code GET /v1/security-events} shows it.
 *
 * @param id {@code sev_…}
 * @param operatorId operator
 * @param agentId agent
 * @param passportJti passport, or null
 * @param signalType e.g. {@code credential_burst}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param message human text
 * @param metadataJson signal metadata as compact JSON
 * @param action {@code notified} or {@code blocked}
 * @param resolved whether resolved
 * @param createdAt creation time on the fake's clock
 */
public record SecurityEvent(
        String id,
        String operatorId,
        String agentId,
        @Nullable String passportJti,
        String signalType,
        String severity,
        String message,
        String metadataJson,
        String action,
        boolean resolved,
        Instant createdAt) {}

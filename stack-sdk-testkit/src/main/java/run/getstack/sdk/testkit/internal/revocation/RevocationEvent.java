package run.getstack.sdk.testkit.internal.revocation;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. One event of the revocation feed (wire protocol §7.2).
 *
 * @param seq sequence number
 * @param operatorId operator
 * @param type {@code single}, {@code bulk_agent}, {@code bulk_session}, {@code bulk_operator} or {@code mission}
 * @param jti the passport of a single revocation
 * @param agentId the agent of a bulk_agent one
 * @param sessionId the session of a bulk_session one
 * @param missionId the mission of a mission one
 * @param claimId the identity claim of a bulk_claim one
 * @param jtis every revoked jti
 * @param reason reason
 * @param at when
 */
record RevocationEvent(
        long seq,
        String operatorId,
        String type,
        @Nullable String jti,
        @Nullable String agentId,
        @Nullable String sessionId,
        @Nullable String missionId,
        @Nullable String claimId,
        List<String> jtis,
        String reason,
        Instant at) {}

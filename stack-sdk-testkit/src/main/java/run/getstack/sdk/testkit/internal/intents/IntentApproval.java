package run.getstack.sdk.testkit.internal.intents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. One intent approval ({@code ia_…}); guarded by the state lock. */
final class IntentApproval {
    final String id;
    final String claimId;
    final String operatorId;
    final String agentId;
    final String passportJti;
    final @Nullable String missionId;
    final String intentType;
    final String namedIntent;
    final String target;
    final String action;
    final ObjectNode intent;
    final @Nullable ObjectNode simulation;
    final Instant createdAt;
    final Instant expiresAt;
    /** {@code pending}, {@code approved}, {@code rejected}, {@code expired} or {@code consumed}. */
    String status = "pending";

    @Nullable
    Instant decidedAt;

    @Nullable
    Instant consumedAt;

    boolean blockFuture;

    IntentApproval(
            String id,
            String claimId,
            String operatorId,
            String agentId,
            String passportJti,
            @Nullable String missionId,
            ObjectNode intent,
            @Nullable ObjectNode simulation,
            Instant createdAt,
            Instant expiresAt) {
        this.id = id;
        this.claimId = claimId;
        this.operatorId = operatorId;
        this.agentId = agentId;
        this.passportJti = passportJti;
        this.missionId = missionId;
        this.intent = intent;
        this.intentType = intent.path("intent_type").asText();
        this.namedIntent = intent.path("named_intent").asText();
        this.target = intent.path("target").asText();
        this.action = intent.path("action").asText();
        this.simulation = simulation;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }
}

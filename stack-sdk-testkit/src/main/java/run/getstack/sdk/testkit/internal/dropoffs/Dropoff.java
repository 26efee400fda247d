package run.getstack.sdk.testkit.internal.dropoffs;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.crypto.Envelope;

/** Internal, not for public use. One drop-off and its sealed package; guarded by the state lock. */
final class Dropoff {
    final String id;
    final String operatorId;
    final String fromAgent;
    final List<String> toAgents;
    final JsonNode schemaNode;
    final Schema schema;
    final Instant createdAt;
    final Instant expiresAt;
    String status = "created";
    /** The payload sealed under a per-drop-off data key wrapped by the operator's key; null once deleted. */
    @Nullable
    Envelope sealed;

    @Nullable
    Instant depositedAt;

    @Nullable
    String depositJti;

    @Nullable
    String missionId;

    @Nullable
    String collectedBy;

    @Nullable
    Instant collectedAt;

    @Nullable
    Instant expiredAt;

    Dropoff(
            String id,
            String operatorId,
            String fromAgent,
            List<String> toAgents,
            JsonNode schemaNode,
            Schema schema,
            Instant createdAt,
            Instant expiresAt) {
        this.id = id;
        this.operatorId = operatorId;
        this.fromAgent = fromAgent;
        this.toAgents = List.copyOf(toAgents);
        this.schemaNode = schemaNode;
        this.schema = schema;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean isOpen() {
        return "created".equals(status) || "deposited".equals(status);
    }
}

package run.getstack.sdk.testkit.internal.intents;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. One governance approval ({@code gvr_…}); guarded by the state lock. */
final class GovernanceApproval {
    final String id;
    final String operatorId;
    final String action;
    final String summary;
    /** SHA-256 of the method, path and canonical body without {@code governance_approval_id}. */
    final String payloadHash;

    final Instant createdAt;
    final Instant expiresAt;
    /** {@code pending}, {@code approved}, {@code rejected}, {@code consumed} or {@code expired}. */
    String status = "pending";

    @Nullable
    Instant decidedAt;

    GovernanceApproval(
            String id,
            String operatorId,
            String action,
            String summary,
            String payloadHash,
            Instant createdAt,
            Instant expiresAt) {
        this.id = id;
        this.operatorId = operatorId;
        this.action = action;
        this.summary = summary;
        this.payloadHash = payloadHash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }
}

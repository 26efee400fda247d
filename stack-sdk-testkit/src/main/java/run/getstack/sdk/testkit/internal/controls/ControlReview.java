package run.getstack.sdk.testkit.internal.controls;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. An action a policy held for the owner ({@code stack_list_control_reviews}): the held
 * request's exact method, path and body bytes, and where it stands. Guarded by the state lock.
 */
final class ControlReview {
    final String ref;
    final String operatorId;
    final String agentId;
    final String policyId;
    final int policyRevision;
    final String approvalId;
    final String summary;
    final String method;
    final String path;
    final byte[] body;
    final Instant createdAt;
    /**
     * {@code pending}, {@code approved}, {@code consumed}, {@code rejected}, {@code expired}, or {@code superseded}
     * (approved, then held again on its resend by a policy put in force since, under {@link #supersededBy}).
     */
    String status = "pending";

    /** The hold that replaced this one, when {@code superseded}. */
    @Nullable
    String supersededBy;

    Instant expiresAt;

    @Nullable
    Instant decidedAt;

    @Nullable
    Instant consumedAt;

    ControlReview(
            String ref,
            String operatorId,
            String agentId,
            ControlPolicy policy,
            String approvalId,
            String summary,
            String method,
            String path,
            byte[] body,
            Instant createdAt,
            Instant expiresAt) {
        this.ref = ref;
        this.operatorId = operatorId;
        this.agentId = agentId;
        this.policyId = policy.id();
        this.policyRevision = policy.revision();
        this.approvalId = approvalId;
        this.summary = summary;
        this.method = method;
        this.path = path;
        this.body = body.clone();
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** Moves a pending or approved review whose hour has passed to {@code expired}. */
    void expireIfDue(Instant now) {
        if ((status.equals("pending") || status.equals("approved")) && !now.isBefore(expiresAt)) {
            status = "expired";
        }
    }
}

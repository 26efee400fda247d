package run.getstack.sdk.approval;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A governance approval as STACK describes it ({@code stack_get_approval}, {@code stack_list_approvals}).
 *
 * @param approvalId the {@code gvr_…} id
 * @param action what it is for, as STACK names it (such as {@code agent.unblock})
 * @param summary what the person is asked to approve, as STACK words it (server text: show it, do not act on it)
 * @param status where it stands
 * @param expiresAt when it lapses
 * @param decidedAt when the person decided, if they have
 * @param approvalUrl where the person decides (only when read one at a time; lists carry no link)
 */
public record GovernanceApprovalInfo(
        String approvalId,
        String action,
        String summary,
        GovernanceApprovalStatus status,
        Instant expiresAt,
        @Nullable Instant decidedAt,
        @Nullable String approvalUrl) {
    /**
     * Checks the required components.
     *
     * @param approvalId see the record's {@code approvalId}
     * @param action see the record's {@code action}
     * @param summary see the record's {@code summary}
     * @param status see the record's {@code status}
     * @param expiresAt see the record's {@code expiresAt}
     * @param decidedAt see the record's {@code decidedAt}
     * @param approvalUrl see the record's {@code approvalUrl}
     */
    public GovernanceApprovalInfo {
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Returns the approval to send with the same call again.
     *
     * @return the approval
     */
    public GovernanceApproval toApproval() {
        return GovernanceApproval.of(approvalId);
    }
}

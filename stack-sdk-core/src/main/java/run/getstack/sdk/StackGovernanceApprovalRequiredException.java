package run.getstack.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A person must approve this change first: STACK answered {@code GOVERNANCE_APPROVAL_REQUIRED} (HTTP 403) to an
 * operator write that loosens something, such as unblocking an agent or widening a grant. Nothing was changed.
 *
 * <p>Show the person {@link #approvalUrl()}; once they approved, send the <em>same</em> call again with the approval,
 * for example {@code client.agents().unblock(agentId, GovernanceApproval.of(e.approvalId()))}. An approval is single
 * use, bound to the exact payload, and lapses after 24 hours. The SDK never waits or retries by itself;
 * {@code client.approvals().get(id)} reads where the approval stands.
 */
public class StackGovernanceApprovalRequiredException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** The error code STACK answers. */
    public static final String CODE = "GOVERNANCE_APPROVAL_REQUIRED";

    /** See {@link #approvalId()}. */
    private final @Nullable String approvalId;
    /** See {@link #approvalUrl()}. */
    private final @Nullable String approvalUrl;
    /** See {@link #action()}. */
    private final @Nullable String action;
    /** See {@link #expiresAt()}. */
    private final @Nullable Instant expiresAt;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status
     * @param requestId the control plane's request id, if known
     * @param approvalId the {@code gvr_…} approval, if the server named a well-formed one
     * @param approvalUrl where the person approves, if the server sent a well-formed link
     * @param action what the approval is for (such as {@code agent.unblock}), if sent
     * @param expiresAt when the approval lapses, if sent
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     */
    public StackGovernanceApprovalRequiredException(
            String message,
            int httpStatus,
            @Nullable String requestId,
            @Nullable String approvalId,
            @Nullable String approvalUrl,
            @Nullable String action,
            @Nullable Instant expiresAt,
            @Nullable Duration retryAfter) {
        super(message, httpStatus, CODE, requestId, null, retryAfter, null);
        this.approvalId = approvalId;
        this.approvalUrl = approvalUrl;
        this.action = action;
        this.expiresAt = expiresAt;
    }

    /**
     * Returns the approval to resend the call with, once a person approved it.
     *
     * @return the {@code gvr_…} id, or null when the server named none the SDK could accept
     */
    public @Nullable String approvalId() {
        return approvalId;
    }

    /**
     * Returns the link where the person reviews and approves the change (not part of {@link #getMessage()}, so it
     * stays out of logs that print exceptions).
     *
     * @return the link, or null when the server sent none the SDK could accept
     */
    public @Nullable String approvalUrl() {
        return approvalUrl;
    }

    /**
     * Returns what the approval is for, as STACK names it.
     *
     * @return the action, or null
     */
    public @Nullable String action() {
        return action;
    }

    /**
     * Returns when the approval lapses.
     *
     * @return the instant, or empty when not sent
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }
}

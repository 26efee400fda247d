package run.getstack.sdk.intent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An intent approval ({@code ia_…}) as the control plane last described it ({@code docs/wire-protocol.md} §14.2).
 *
 * @param approvalId the {@code ia_…} id to send with the call it approves
 * @param intentClaimId the registered claim
 * @param status where it stands
 * @param agentId the agent that submitted it
 * @param passportJti the passport it was submitted under (a rejection revokes it), if named
 * @param missionId that passport's mission, if any
 * @param intentType what kind of action it names, as STACK spells it (such as {@code http_call})
 * @param namedIntent the claim's name
 * @param target what it acts on (for {@code http_call}: the service)
 * @param action what it does (for {@code http_call}: the HTTP method)
 * @param simulation the dry run's result, null if skipped
 * @param blockFuture after a rejection: whether the agent was blocked too
 * @param createdAt when it was submitted
 * @param expiresAt when it lapses unless used
 * @param decidedAt when the owner decided, if they have
 * @param consumedAt when the call used it, if it has
 */
public record IntentApproval(
        String approvalId,
        String intentClaimId,
        IntentApprovalStatus status,
        String agentId,
        @Nullable String passportJti,
        @Nullable String missionId,
        String intentType,
        String namedIntent,
        String target,
        String action,
        @Nullable IntentSimulation simulation,
        boolean blockFuture,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant decidedAt,
        @Nullable Instant consumedAt) {
    /**
     * Checks the required components.
     *
     * @param approvalId see the record's {@code approvalId}
     * @param intentClaimId see the record's {@code intentClaimId}
     * @param status see the record's {@code status}
     * @param agentId see the record's {@code agentId}
     * @param passportJti see the record's {@code passportJti}
     * @param missionId see the record's {@code missionId}
     * @param intentType see the record's {@code intentType}
     * @param namedIntent see the record's {@code namedIntent}
     * @param target see the record's {@code target}
     * @param action see the record's {@code action}
     * @param simulation see the record's {@code simulation}
     * @param blockFuture see the record's {@code blockFuture}
     * @param createdAt see the record's {@code createdAt}
     * @param expiresAt see the record's {@code expiresAt}
     * @param decidedAt see the record's {@code decidedAt}
     * @param consumedAt see the record's {@code consumedAt}
     */
    public IntentApproval {
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(intentClaimId, "intentClaimId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(intentType, "intentType");
        Objects.requireNonNull(namedIntent, "namedIntent");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Tells whether the call it names may be made now with its id.
     *
     * @return true when {@link IntentApprovalStatus#APPROVED}
     */
    public boolean isApproved() {
        return status == IntentApprovalStatus.APPROVED;
    }

    /**
     * Returns the simulation result.
     *
     * @return the result, or empty if the simulation was skipped
     */
    public Optional<IntentSimulation> simulationResult() {
        return Optional.ofNullable(simulation);
    }
}

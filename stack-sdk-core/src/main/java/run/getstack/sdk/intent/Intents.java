package run.getstack.sdk.intent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Intent approvals of the agent's own passport ({@code client.intents()}; {@code docs/wire-protocol.md} §14.1–§14.3):
 * submit a claim, read its approval, wait for the owner's decision. Thread-safe; waiting holds no thread: every wait
 * is driven by the client's one scheduler, which reads an approval at most once per poll interval however many
 * callers wait on it.
 */
public interface Intents {
    /** Default pause between two reads of a pending approval: 2 s. */
    Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    /**
     * Submits a claim under the agent's current passport ({@code POST /v1/intents}).
     *
     * @param claim what to approve
     * @return the pending approval, with STACK's simulation result
     * @throws run.getstack.sdk.StackException if STACK refuses it, or the passport is known to have ended
     */
    IntentApproval submit(IntentClaim claim);

    /**
     * Reads an approval ({@code GET /v1/intent-approvals/{id}}). A rejected one is recorded as the revocation of the
     * passport it was submitted under.
     *
     * @param approvalId the {@code ia_…} id
     * @return the approval as it stands
     */
    IntentApproval get(String approvalId);

    /**
     * Waits for the owner's decision without holding a thread. The future completes with the approval once it is
     * approved; it fails with {@link StackIntentRejectedException} if it is rejected (the passport is then revoked for
     * the whole client), with {@link StackIntentApprovalRequiredException} if it lapsed or was used, with {@link
     * run.getstack.sdk.StackTimeoutException} when {@code timeout} passes first (the approval may still be decided
     * later), and with the read's exception when STACK refuses the read. Transient read failures are retried at the
     * next poll. Cancelling the future stops its wait.
     *
     * @param approvalId the {@code ia_…} id
     * @param timeout how long to wait at most, on the client's clock
     * @return the decision
     */
    CompletableFuture<IntentApproval> whenDecided(String approvalId, Duration timeout);

    /**
     * Waits for the owner's decision, blocking the calling thread (a virtual thread is unmounted while it waits). An
     * interrupt ends the wait at once.
     *
     * @param approvalId the {@code ia_…} id
     * @param timeout how long to wait at most, on the client's clock
     * @return the approved approval
     * @throws StackIntentRejectedException if it was rejected
     * @throws StackIntentApprovalRequiredException if it lapsed or was used
     * @throws run.getstack.sdk.StackTimeoutException if {@code timeout} passed first
     * @throws run.getstack.sdk.StackInterruptedException if the thread was interrupted
     */
    IntentApproval await(String approvalId, Duration timeout);
}

package run.getstack.sdk.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A control policy held the call for the owner's review (403 {@code CONTROL_DENIED}, reason {@code review_required},
 * docs/wire-protocol.md §15): nothing reached the upstream yet. Tell a person to approve it at {@link
 * #approvalUrl()} before {@link #deadline()}, then resend it with {@link #hold()}{@code .resume()}: do not send it
 * again as a new call (that would be held again) and do not retry in a loop.
 *
 * <pre>{@code
 * try {
 *     return stack.proxy().call(payment);
 * } catch (StackReviewRequiredException e) {
 *     notifyOwner(e.approvalUrl().orElseThrow(), e.deadline());
 *     pending.put(e.controlRef(), e.hold()); // resume() once the owner approved
 *     return null;
 * }
 * }</pre>
 */
public class StackReviewRequiredException extends StackControlDeniedException {
    private static final long serialVersionUID = 1L;

    /** STACK's reference to the held call. */
    private final String controlRef;

    /** Where a person approves it, if STACK sent a usable link. */
    private final @Nullable String approvalUrl;

    /** The approval's id, if sent. */
    private final @Nullable String approvalId;

    /** The deadline STACK gave for the decision, if sent. */
    private final @Nullable Instant deadline;

    /** The resendable request, when the SDK made the call (not serialised). */
    private final transient @Nullable ReviewHold hold;

    /**
     * Creates the exception.
     *
     * @param message what was held, without any secret
     * @param httpStatus the status (403)
     * @param requestId the request id, if known
     * @param controlRef STACK's reference to the held call
     * @param approvalUrl where a person approves it, if STACK sent a usable link
     * @param approvalId the approval's id, if sent
     * @param deadline the deadline STACK gave, if sent
     * @param hold the resendable request, or null when this call cannot be resumed by the SDK
     * @param cause the mapped server error, if any
     */
    public StackReviewRequiredException(
            String message,
            int httpStatus,
            @Nullable String requestId,
            String controlRef,
            @Nullable String approvalUrl,
            @Nullable String approvalId,
            @Nullable Instant deadline,
            @Nullable ReviewHold hold,
            @Nullable Throwable cause) {
        super(message, httpStatus, requestId, "review_required", (Duration) null, cause);
        this.controlRef = Objects.requireNonNull(controlRef, "controlRef");
        this.approvalUrl = approvalUrl;
        this.approvalId = approvalId;
        this.deadline = deadline;
        this.hold = hold;
    }

    /**
     * Returns STACK's reference to the held call ({@code X-Control-Ref} on the resend).
     *
     * @return the control ref
     */
    public String controlRef() {
        return controlRef;
    }

    /**
     * Returns the page where a person approves the call.
     *
     * @return the link, or empty when STACK sent none the SDK could accept
     */
    public Optional<String> approvalUrl() {
        return Optional.ofNullable(approvalUrl);
    }

    /**
     * Returns the approval's id.
     *
     * @return the id, or empty when STACK sent none
     */
    public Optional<String> approvalId() {
        return Optional.ofNullable(approvalId);
    }

    /**
     * Returns the deadline STACK gave for the decision.
     *
     * @return the deadline, or empty when STACK sent none
     */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /**
     * Tells whether {@link #hold()} can resend the call (true for calls made with {@code client.proxy()}).
     *
     * @return whether the call is resumable
     */
    public boolean isResumable() {
        return hold != null;
    }

    /**
     * Returns the held call, to resume once the owner approved it.
     *
     * @return the hold
     * @throws IllegalStateException if the SDK cannot resend this call (not a {@code client.proxy()} call, or the
     *     exception was deserialised)
     */
    public ReviewHold hold() {
        ReviewHold h = hold;
        if (h == null) {
            throw new IllegalStateException("the held call " + controlRef
                    + " cannot be resumed by the SDK: only client.proxy() calls keep" + " their request for a resend");
        }
        return h;
    }
}

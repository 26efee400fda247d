package run.getstack.sdk.control;

import java.time.Instant;
import java.util.Optional;
import run.getstack.sdk.proxy.ProxyResponse;

/**
 * A proxy call a control policy held for the owner's review, kept exactly as it was sent (docs/wire-protocol.md
 * §15). Show {@link #approvalUrl()} to the person who decides; once they approved, {@link #resume()} resends the
 * same request (the same method, path, body bytes and {@code authority_request_id}) with {@code X-Control-Ref}. It
 * is never sent as a new request, and never twice: one {@code resume()} at a time may send, and after the resend
 * went out the hold is spent.
 *
 * <p>Thread-safe. Its {@code toString()} shows the control ref, the call's method, service and host, and the state:
 * never the body, the URL's path or query, or a token.
 */
public interface ReviewHold {
    /** Where a hold stands. */
    enum State {
        /** Waiting for the owner, or approved and not yet resent: {@link #resume()} may send. */
        WAITING,
        /** A {@link #resume()} is sending the request now. */
        SENDING,
        /** The resend succeeded; the hold is spent. */
        RESUMED,
        /** The resend failed after it went out (refused, expired, rejected, outcome unknown); the hold is spent. */
        ENDED,
        /**
         * The resend was held again under a new control ref (a policy put in force after the approval holds it): the
         * approval of this hold does not cover the call. The {@link StackReviewRequiredException} that answered the
         * resume carries the new hold ({@link #supersededBy()} names its ref); this one is spent.
         */
        SUPERSEDED
    }

    /**
     * Returns STACK's reference to the held call, sent back as {@code X-Control-Ref}.
     *
     * @return the control ref
     */
    String controlRef();

    /**
     * Returns the page where a person approves the call (STACK decides held calls in the browser only).
     *
     * @return the link, or empty when STACK sent none the SDK could accept
     */
    Optional<String> approvalUrl();

    /**
     * Returns the deadline STACK gave when it held the call: the owner must approve by then. After approval STACK
     * allows one hour for the resend; the SDK leaves the deadline to STACK and does not refuse a resume locally.
     *
     * @return the deadline, or empty when STACK sent none
     */
    Optional<Instant> deadline();

    /**
     * Returns where the hold stands.
     *
     * @return the state
     */
    State state();

    /**
     * Returns the control ref of the hold that replaced this one, once it is {@link State#SUPERSEDED}.
     *
     * @return the new hold's ref, or empty while this hold is not superseded
     */
    Optional<String> supersededBy();

    /**
     * Resends the held request once the owner approved it.
     *
     * @return the upstream's answer
     * @throws StackReviewRequiredException if the owner has not approved yet: the hold stays {@link State#WAITING}
     *     and may be resumed later; or if STACK held the resend again under a new control ref: this hold becomes
     *     {@link State#SUPERSEDED} and the exception's {@link StackReviewRequiredException#hold() hold()} is the new,
     *     resumable one (a person must approve it too)
     * @throws StackControlDeniedException if STACK refused the resend (rejected, expired, already resent); the hold
     *     is spent
     * @throws run.getstack.sdk.StackCircuitOpenException if the client's circuit breaker refused to send: nothing
     *     was sent and the hold stays {@link State#WAITING}
     * @throws IllegalStateException if another resume is sending now or the hold is spent
     * @throws run.getstack.sdk.StackException on any other failure; once the request went out the hold is spent
     *     (a {@link run.getstack.sdk.proxy.StackProxyOutcomeUnknownException} names the {@code
     *     authority_request_id} to learn the outcome with)
     */
    ProxyResponse resume();
}

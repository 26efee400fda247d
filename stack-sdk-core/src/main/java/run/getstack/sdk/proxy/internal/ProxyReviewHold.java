package run.getstack.sdk.proxy.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.control.ReviewHold;
import run.getstack.sdk.control.StackReviewRequiredException;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;

/**
 * Internal, not for public use. A held proxy call: the exact body bytes and {@code authority_request_id} that were
 * sent, resent once by {@link #resume()}. One compare-and-set decides which resume sends; the state never goes back
 * to {@link State#WAITING} after the request went out, except when STACK answers that the same hold still waits.
 */
final class ProxyReviewHold implements ReviewHold {
    private final DefaultStackProxy proxy;
    private final ProxyRequest request;
    private final byte[] body;
    private final String authorityRequestId;
    private final String controlRef;
    private final @Nullable String approvalUrl;
    private final @Nullable Instant deadline;
    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
    /** The ref of the hold that replaced this one; set before the state becomes {@link State#SUPERSEDED}. */
    private volatile @Nullable String supersededBy;

    ProxyReviewHold(
            DefaultStackProxy proxy,
            ProxyRequest request,
            byte[] body,
            String authorityRequestId,
            String controlRef,
            @Nullable String approvalUrl,
            @Nullable Instant deadline) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.request = Objects.requireNonNull(request, "request");
        this.body = body.clone();
        this.authorityRequestId = Objects.requireNonNull(authorityRequestId, "authorityRequestId");
        this.controlRef = Objects.requireNonNull(controlRef, "controlRef");
        this.approvalUrl = approvalUrl;
        this.deadline = deadline;
    }

    /** The hold of a call STACK held: the bytes that were sent, under the ref, link and deadline of its answer. */
    static ProxyReviewHold of(
            DefaultStackProxy proxy,
            ProxyRequest request,
            byte[] sent,
            String authorityRequestId,
            StackReviewRequiredException held) {
        return new ProxyReviewHold(
                proxy,
                request,
                sent,
                authorityRequestId,
                held.controlRef(),
                held.approvalUrl().orElse(null),
                held.deadline().orElse(null));
    }

    /** STACK's answer {@code held} carrying this hold, to throw to the caller. */
    StackReviewRequiredException answer(String message, StackReviewRequiredException held, @Nullable Throwable cause) {
        return new StackReviewRequiredException(
                message,
                held.httpStatus(),
                held.requestId(),
                held.controlRef(),
                held.approvalUrl().orElse(null),
                held.approvalId().orElse(null),
                held.deadline().orElse(null),
                this,
                cause);
    }

    @Override
    public String controlRef() {
        return controlRef;
    }

    @Override
    public Optional<String> approvalUrl() {
        return Optional.ofNullable(approvalUrl);
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public State state() {
        return Objects.requireNonNull(state.get());
    }

    @Override
    public Optional<String> supersededBy() {
        return Optional.ofNullable(supersededBy);
    }

    String authorityRequestId() {
        return authorityRequestId;
    }

    byte[] body() {
        return body.clone();
    }

    ProxyRequest request() {
        return request;
    }

    @Override
    public ProxyResponse resume() {
        if (!state.compareAndSet(State.WAITING, State.SENDING)) {
            State now = state();
            throw new IllegalStateException(
                    switch (now) {
                        case SENDING -> "held call " + controlRef + " is being resumed by another thread";
                        case RESUMED -> "held call " + controlRef + " was already resumed: STACK runs it once";
                        case SUPERSEDED ->
                            "held call " + controlRef + " was held again under control ref " + supersededBy
                                    + " after its approval: resume that hold once a person approved it";
                        default ->
                            "held call " + controlRef + " has ended (its resend was refused or its outcome is"
                                    + " unknown); it cannot be resumed again";
                    });
        }
        Passport p;
        try {
            p = proxy.passportForResend(request);
        } catch (RuntimeException e) {
            state.set(State.WAITING); // nothing was sent
            throw e;
        }
        try {
            ProxyResponse r = proxy.resend(this, p);
            state.set(State.RESUMED);
            return r;
        } catch (StackReviewRequiredException e) {
            if (controlRef.equals(e.controlRef())) {
                state.set(State.WAITING); // the owner has not approved yet: the hold stands
                throw new StackReviewRequiredException(
                        "held call " + controlRef + " is not approved yet; resume it after the owner approved"
                                + (approvalUrl == null ? "" : " at " + ErrorMapper.excerpt(approvalUrl)),
                        e.httpStatus(),
                        e.requestId(),
                        controlRef,
                        e.approvalUrl().orElse(approvalUrl),
                        e.approvalId().orElse(null),
                        e.deadline().orElse(deadline),
                        this,
                        e);
            }
            // docs/wire-protocol.md §15.3: a policy put in force after the approval held the resend again. The
            // approval does not cover it: this hold is spent and the call waits under the new ref, resumable
            ProxyReviewHold next = of(proxy, request, body, authorityRequestId, e);
            supersededBy = e.controlRef();
            state.set(State.SUPERSEDED);
            throw next.answer(
                    "held call " + controlRef + " was held again under control ref " + e.controlRef()
                            + " after its approval (a policy put in force since holds it); its approval does not"
                            + " cover the call: a person must approve the new hold"
                            + e.approvalUrl()
                                    .map(u -> " at " + ErrorMapper.excerpt(u))
                                    .orElse("")
                            + ", then resume it with hold().resume()",
                    e,
                    e);
        } catch (run.getstack.sdk.StackCircuitOpenException e) {
            state.set(State.WAITING); // the client's circuit breaker refused it: nothing was sent
            throw e;
        } catch (RuntimeException e) {
            state.set(State.ENDED);
            throw e;
        }
    }

    @Override
    public String toString() {
        HttpUrl url = HttpUrl.parse(request.url());
        return "ReviewHold[controlRef=" + controlRef + ", " + request.method() + " via " + request.service()
                + (url == null ? "" : " to " + url.host()) + ", state=" + state()
                + (supersededBy == null ? "" : ", supersededBy=" + supersededBy)
                + (deadline == null ? "" : ", deadline=" + deadline) + "]";
    }
}

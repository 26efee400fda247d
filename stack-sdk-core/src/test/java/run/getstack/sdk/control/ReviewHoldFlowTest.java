package run.getstack.sdk.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.AgentFlowFixture;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.proxy.StackProxyOutcomeUnknownException;
import run.getstack.sdk.testkit.ControlPolicySeed;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;

/** Review holds and control refusals of proxy calls, against the fake control plane (wire protocol §15). */
class ReviewHoldFlowTest extends AgentFlowFixture {
    static final String STRIPE_KEY = "sk-upstream-stripe-7d1f";

    @Override
    protected String seedAgent(FakeControlPlane fake) {
        run.getstack.sdk.LogLeakCheck.watch(STRIPE_KEY);
        String payer = fake.seed().agent("payer", "standard");
        String stripe = fake.seed().connection("stripe", STRIPE_KEY, "charges");
        fake.seed().grant(payer, stripe, "charges");
        return payer;
    }

    private ProxyRequest payment(long amount) {
        return ProxyRequest.builder(
                        "stripe", "POST", upstream.url("/v1/charges").toString())
                .jsonBody("{\"amount\":" + amount + ",\"currency\":\"eur\",\"destination\":\"acct_x\"}")
                .build();
    }

    private void upstreamAnswers(int n) {
        for (int i = 0; i < n; i++) {
            upstream.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "application/json")
                    .body("{\"id\":\"ch_1\"}")
                    .build());
        }
    }

    private StackReviewRequiredException held(long amount) {
        return catchThrowableOfType(
                StackReviewRequiredException.class, () -> h.client.proxy().call(payment(amount)));
    }

    private List<JournalEntry> proxyCalls() {
        return fake.journal().entries("POST", "/v1/proxy");
    }

    @Test
    void aHeldPaymentIsResumedAfterApprovalWithTheIdenticalBytesAndXControlRefExactlyOnce() throws Exception {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        Instant heldAt = CLOCK.instant();

        StackReviewRequiredException e = held(12_000);
        assertThat(e).isNotNull();
        assertThat(e.errorCode()).isEqualTo("CONTROL_DENIED");
        assertThat(e.denial()).isEqualTo(ControlDenialReason.REVIEW_REQUIRED);
        assertThat(e.controlRef()).startsWith("ctr_");
        assertThat(e.approvalUrl()).hasValueSatisfying(u -> assertThat(u).startsWith("https://"));
        assertThat(e.deadline()).hasValue(heldAt.plus(Duration.ofHours(1)));
        assertThat(e.getMessage()).contains(e.controlRef()).contains("resume");
        assertThat(e.isResumable()).isTrue();
        assertThat(upstream.getRequestCount()).isZero();

        ReviewHold hold = e.hold();
        assertThat(hold.controlRef()).isEqualTo(e.controlRef());
        assertThat(hold.state()).isEqualTo(ReviewHold.State.WAITING);
        fake.owner().approveHold(hold.controlRef());

        ProxyResponse r = hold.resume();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{\"id\":\"ch_1\"}");
        assertThat(hold.state()).isEqualTo(ReviewHold.State.RESUMED);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        assertThat(upstream.takeRequest().getBody().utf8()).contains("\"amount\":12000");

        List<JournalEntry> calls = proxyCalls();
        assertThat(calls).hasSize(2);
        JournalEntry original = calls.get(0);
        JournalEntry resent = calls.get(1);
        assertThat(resent.body()).isEqualTo(original.body()); // the fake also checks the bytes: it passed
        assertThat(resent.idempotencyKey()).isEqualTo(original.idempotencyKey()).isEqualTo(r.authorityRequestId());
        assertThat(original.headers()).doesNotContainKey("x-control-ref");
        assertThat(resent.headers()).containsEntry("x-control-ref", hold.controlRef());
        assertThat(fake.owner().holdStatus(hold.controlRef())).isEqualTo("consumed");

        assertThatThrownBy(hold::resume)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already resumed");
        assertThat(proxyCalls()).hasSize(2);
    }

    @Test
    void aResumeHeldAgainUnderANewRefYieldsALiveHoldForItAndTheOldHoldIsSupersededNeverApproved() {
        // review: the resend answered review_required under a new ref ended the hold, and the new exception carried
        // no hold, so the call could never be resumed under the new approval
        fake.controlPolicy(null).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        ReviewHold first = held(12_000).hold();
        fake.owner().approveHold(first.controlRef());
        // a second policy matches after the approval: the agent's own reviews every call on the connection
        fake.controlPolicy(agent)
                .connection("stripe", ControlPolicySeed.Rule.REVIEW)
                .apply();

        StackReviewRequiredException again = catchThrowableOfType(StackReviewRequiredException.class, first::resume);
        assertThat(again).isNotNull();
        assertThat(again.controlRef()).startsWith("ctr_").isNotEqualTo(first.controlRef());
        assertThat(again.isResumable()).isTrue();
        ReviewHold second = again.hold();
        assertThat(second).isNotSameAs(first);
        assertThat(second.controlRef()).isEqualTo(again.controlRef());
        assertThat(second.state()).isEqualTo(ReviewHold.State.WAITING);
        assertThat(second.approvalUrl()).isEqualTo(again.approvalUrl());
        assertThat(again.getMessage())
                .contains(first.controlRef())
                .contains(second.controlRef())
                .contains("does not cover");
        assertThat(first.state()).isEqualTo(ReviewHold.State.SUPERSEDED);
        assertThat(first.supersededBy()).hasValue(second.controlRef());
        assertThat(first.toString()).contains("SUPERSEDED").contains(second.controlRef());
        assertThat(fake.owner().holdStatus(first.controlRef())).isEqualTo("superseded");
        assertThat(upstream.getRequestCount()).isZero();
        int sent = proxyCalls().size();
        assertThatThrownBy(first::resume)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(second.controlRef());
        assertThat(proxyCalls()).hasSize(sent); // the superseded hold sends nothing

        // the new hold waits for its own approval, then runs the call once with the same bytes and key
        assertThat(catchThrowableOfType(StackReviewRequiredException.class, second::resume)
                        .hold())
                .isSameAs(second);
        fake.owner().approveHold(second.controlRef());
        ProxyResponse r = second.resume();
        assertThat(r.status()).isEqualTo(200);
        assertThat(second.state()).isEqualTo(ReviewHold.State.RESUMED);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        List<JournalEntry> calls = proxyCalls();
        JournalEntry last = calls.get(calls.size() - 1);
        assertThat(last.body()).isEqualTo(calls.get(0).body());
        assertThat(last.idempotencyKey()).isEqualTo(calls.get(0).idempotencyKey());
        assertThat(last.headers()).containsEntry("x-control-ref", second.controlRef());
        assertThat(fake.owner().holdStatus(second.controlRef())).isEqualTo("consumed");
        assertThat(first.state()).isEqualTo(ReviewHold.State.SUPERSEDED);
    }

    @Test
    void aResumeTheOpenCircuitNeverSentLeavesTheHoldUsable() {
        // review: a resume refused by the client's own circuit breaker sent nothing, yet it spent the hold (ENDED),
        // so the owner's approval could never be used
        h.close();
        h = CapabilityTestSupport.harness(
                builder()
                        .circuitBreakerPolicy(run.getstack.sdk.CircuitBreakerPolicy.builder()
                                .slidingWindowSize(4)
                                .minimumNumberOfCalls(4)
                                .failureRateThreshold(50)
                                .waitInOpenState(Duration.ofSeconds(30))
                                .permittedCallsInHalfOpenState(1)
                                .build()),
                CLOCK);
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        ReviewHold hold = held(12_000).hold();
        fake.owner().approveHold(hold.controlRef());

        fake.faults().on("GET", "/v1/agents/**").respondWith(503);
        Throwable last = null;
        for (int i = 0; i < 8 && !(last instanceof run.getstack.sdk.StackCircuitOpenException); i++) {
            last = catchThrowable(() -> h.client.agents().get(agent));
        }
        assertThat(last).as("the breaker opened").isInstanceOf(run.getstack.sdk.StackCircuitOpenException.class);
        fake.faults().clear();
        int before = proxyCalls().size();
        assertThatThrownBy(hold::resume).isInstanceOf(run.getstack.sdk.StackCircuitOpenException.class);
        assertThat(proxyCalls()).hasSize(before);
        assertThat(hold.state()).isEqualTo(ReviewHold.State.WAITING);

        CLOCK.advance(Duration.ofSeconds(31));
        ProxyResponse r = hold.resume();
        assertThat(r.status()).isEqualTo(200);
        assertThat(hold.state()).isEqualTo(ReviewHold.State.RESUMED);
    }

    @Test
    void aResumeBeforeTheOwnerApprovedIsRefusedTypedAndTheHoldStaysUsable() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        ReviewHold hold = held(20_000).hold();

        StackReviewRequiredException early = catchThrowableOfType(StackReviewRequiredException.class, hold::resume);
        assertThat(early).isNotNull();
        assertThat(early.controlRef()).isEqualTo(hold.controlRef());
        assertThat(early.hold()).isSameAs(hold);
        assertThat(early.getMessage()).contains("not approved yet");
        assertThat(hold.state()).isEqualTo(ReviewHold.State.WAITING);
        assertThat(upstream.getRequestCount()).isZero();

        fake.owner().approveHold(hold.controlRef());
        assertThat(hold.resume().status()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aResumeAfterTheHourIsRefusedAndTheHoldIsSpent() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        ReviewHold hold = held(20_000).hold();
        fake.owner().approveHold(hold.controlRef());
        CLOCK.advance(Duration.ofHours(1).plusSeconds(1));

        StackControlDeniedException late = catchThrowableOfType(StackControlDeniedException.class, hold::resume);
        assertThat(late).isNotNull().isNotInstanceOf(StackReviewRequiredException.class);
        assertThat(late.denial()).isEqualTo(ControlDenialReason.REVIEW_EXPIRED);
        assertThat(hold.state()).isEqualTo(ReviewHold.State.ENDED);
        assertThatThrownBy(hold::resume)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ended");
        assertThat(upstream.getRequestCount()).isZero();
    }

    @Test
    void aRejectedHoldIsATypedRefusal() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        ReviewHold hold = held(20_000).hold();
        fake.owner().rejectHold(hold.controlRef());
        StackControlDeniedException no = catchThrowableOfType(StackControlDeniedException.class, hold::resume);
        assertThat(no.denial()).isEqualTo(ControlDenialReason.REVIEW_REJECTED);
        assertThat(hold.state()).isEqualTo(ReviewHold.State.ENDED);
    }

    @Test
    void twentyThreadsResumingAtOnceSendOneRequest() throws Exception {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        ReviewHold hold = held(20_000).hold();
        fake.owner().approveHold(hold.controlRef());

        int n = 20;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refusedLocally = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        hold.resume();
                        ok.incrementAndGet();
                    } catch (IllegalStateException e) {
                        refusedLocally.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok.get()).isEqualTo(1);
        assertThat(refusedLocally.get()).isEqualTo(n - 1);
        assertThat(proxyCalls().stream().filter(c -> c.headers().containsKey("x-control-ref")))
                .hasSize(1);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        assertThat(hold.state()).isEqualTo(ReviewHold.State.RESUMED);
    }

    @Test
    void theOtherControlDenialsAreTypedRefusalsWithNothingSent() {
        fake.controlPolicy(agent)
                .connection("openai", ControlPolicySeed.Rule.ALLOW)
                .apply();
        StackControlDeniedException notListed = catchThrowableOfType(
                StackControlDeniedException.class, () -> h.client.proxy().call(payment(1)));
        assertThat(notListed).isNotInstanceOf(StackReviewRequiredException.class);
        assertThat(notListed.denial()).isEqualTo(ControlDenialReason.CONNECTION_NOT_LISTED);
        assertThat(notListed.httpStatus()).isEqualTo(403);
        assertThat(notListed.getMessage()).contains("connection_not_listed");

        fake.controlPolicy(agent).recipientsPerMission("destination").apply();
        assertThat(catchThrowableOfType(
                                StackControlDeniedException.class,
                                () -> h.client.proxy().call(payment(1)))
                        .denial())
                .isEqualTo(ControlDenialReason.RECIPIENTS_NOT_PINNED);

        fake.controlPolicy(agent).recipients(List.of("acct_y"), "destination").apply();
        assertThat(catchThrowableOfType(
                                StackControlDeniedException.class,
                                () -> h.client.proxy().call(payment(1)))
                        .denial())
                .isEqualTo(ControlDenialReason.RECIPIENT_NOT_ALLOWED);
        assertThat(upstream.getRequestCount()).isZero();
    }

    @Test
    void theHoldAndTheExceptionShowNoBodyPathOrToken() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        StackReviewRequiredException e = held(98_765);
        String passport = h.client.passport().current().token().revealPlaintext();
        for (String shown : List.of(e.hold().toString(), e.getMessage(), e.toString())) {
            assertThat(shown)
                    .doesNotContain("98765")
                    .doesNotContain("/v1/charges")
                    .doesNotContain(passport)
                    .doesNotContain(STRIPE_KEY);
        }
        assertThat(e.hold().toString())
                .contains(e.controlRef())
                .contains("stripe")
                .contains("WAITING");
    }

    @Test
    void aResendWhoseOutcomeStaysUnknownSpendsTheHoldAndNamesTheOperation() throws Exception {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        StackReviewRequiredException e = held(20_000);
        ReviewHold hold = e.hold();
        fake.owner().approveHold(hold.controlRef());
        fake.faults().on("POST", "/v1/proxy").disconnectDuringResponseBody().times(1);

        StackProxyOutcomeUnknownException unknown =
                catchThrowableOfType(StackProxyOutcomeUnknownException.class, hold::resume);
        assertThat(unknown).isNotNull();
        assertThat(hold.state()).isEqualTo(ReviewHold.State.ENDED);
        assertThatThrownBy(hold::resume).isInstanceOf(IllegalStateException.class);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        // the same request under its id gets the stored outcome: the payment ran once
        ProxyResponse stored = h.client
                .proxy()
                .call(ProxyRequest.builder(
                                "stripe", "POST", upstream.url("/v1/charges").toString())
                        .jsonBody("{\"amount\":20000,\"currency\":\"eur\",\"destination\":\"acct_x\"}")
                        .authorityRequestId(unknown.authorityRequestId())
                        .build());
        assertThat(stored.status()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }
}

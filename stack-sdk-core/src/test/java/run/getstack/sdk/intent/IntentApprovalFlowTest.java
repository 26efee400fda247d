package run.getstack.sdk.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.getstack.sdk.AgentFlowFixture;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackGovernanceApprovalRequiredException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.StackTimeoutException;
import run.getstack.sdk.approval.GovernanceApproval;
import run.getstack.sdk.approval.GovernanceApprovalInfo;
import run.getstack.sdk.approval.GovernanceApprovalStatus;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.service.GrantRequest;
import run.getstack.sdk.testkit.FakeControlPlane;

/** Issue 22: intent approvals and governance approvals against the fake control plane and its clock. */
@Timeout(60)
class IntentApprovalFlowTest extends AgentFlowFixture {
    @Override
    protected String seedAgent(FakeControlPlane fake) {
        return seedEnforcedSlackAgent("post-bot", "xoxb-intent-test-5f1e");
    }

    @Override
    protected StackClient.Builder builder() {
        return onSlackMission("post the weekly update");
    }

    private ProxyRequest post() {
        return ProxyRequest.builder(
                        "slack", "POST", upstream.url("/api/chat.postMessage").toString())
                .jsonBody("{\"channel\":\"C1\",\"text\":\"weekly update\"}")
                .build();
    }

    private IntentApproval submitFor(ProxyRequest request) {
        return h.client
                .intents()
                .submit(IntentClaim.forProxyCall(request, "post_weekly_update")
                        .reason("the weekly team update")
                        .build());
    }

    /** Advances the clock by one poll interval and runs what fell due. */
    private void nextPoll() {
        CLOCK.advance(Intents.DEFAULT_POLL_INTERVAL);
        h.scheduler.runDue();
    }

    private int approvalReads(String approvalId) {
        return fake.journal().count("GET", "/v1/intent-approvals/" + approvalId);
    }

    @Test
    void anEnforcedAgentsProxyCallWithoutAnApprovalIsRefusedWithATypedErrorSayingToSubmitAnIntent() {
        assertThatThrownBy(() -> h.client.proxy().call(post()))
                .isInstanceOfSatisfying(StackIntentApprovalRequiredException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("intent_approval_required");
                    assertThat(e.approvalId()).isNull();
                    assertThat(e.getMessage())
                            .contains("client.intents().submit(")
                            .contains("withApprovalId");
                });
        assertThat(upstream.getRequestCount()).isZero();
    }

    @Test
    void submitThenTheOwnerApprovesThenTheCallGoesThroughWithItsApprovalWhichIsThenConsumed() throws Exception {
        upstream.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        ProxyRequest post = post();
        IntentApproval pending = submitFor(post);
        assertThat(pending.status()).isEqualTo(IntentApprovalStatus.PENDING);
        assertThat(pending.approvalId()).startsWith("ia_");
        assertThat(pending.target()).isEqualTo("slack");
        assertThat(pending.action()).isEqualTo("POST");
        assertThat(pending.passportJti())
                .isEqualTo(h.client.passport().current().jti());
        assertThat(pending.simulationResult())
                .hasValueSatisfying(s -> assertThat(s.verdict()).isEqualTo("allow"));
        assertThat(pending.expiresAt()).isEqualTo(pending.createdAt().plus(IntentClaim.DEFAULT_APPROVAL_LIFETIME));

        CompletableFuture<IntentApproval> decision =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(10));
        h.scheduler.runDue(); // the first read, at once
        nextPoll();
        assertThat(decision).isNotDone();
        fake.owner().approveIntent(pending.approvalId());
        assertThat(decision).isNotDone(); // learnt at the next poll, not before
        nextPoll();
        IntentApproval approved = decision.get();
        assertThat(approved.status()).isEqualTo(IntentApprovalStatus.APPROVED);

        ProxyResponse r = h.client.proxy().call(post.withApprovalId(approved.approvalId()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        assertThat(fake.journal().entries("POST", "/v1/proxy").get(0).body())
                .contains("\"approval_id\":\"" + approved.approvalId() + "\"");
        assertThat(fake.owner().intentStatus(approved.approvalId())).isEqualTo("consumed");
        assertThat(h.client.intents().get(approved.approvalId()).status()).isEqualTo(IntentApprovalStatus.CONSUMED);

        // single use: a second call under the same approval is refused before anything is sent upstream
        assertThatThrownBy(() -> h.client.proxy().call(post.withApprovalId(approved.approvalId())))
                .isInstanceOfSatisfying(
                        StackIntentApprovalRequiredException.class,
                        e -> assertThat(e.reason()).isEqualTo("intent_approval_consumed"));
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anApprovalIsGoodOnlyForTheServiceAndMethodItNames() {
        IntentApproval a = submitFor(post());
        fake.owner().approveIntent(a.approvalId());
        ProxyRequest get = ProxyRequest.builder(
                        "slack", "GET", upstream.url("/api/conversations.list").toString())
                .approvalId(a.approvalId())
                .build();
        assertThatThrownBy(() -> h.client.proxy().call(get))
                .isInstanceOfSatisfying(StackIntentApprovalRequiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo("intent_approval_mismatch");
                    assertThat(e.approvalId()).isEqualTo(a.approvalId());
                });
        assertThat(fake.owner().intentStatus(a.approvalId())).isEqualTo("approved");
        assertThat(upstream.getRequestCount()).isZero();
    }

    @ParameterizedTest(name = "passport_jti in the answer: {0}")
    @ValueSource(booleans = {true, false})
    void aRejectionEndsThePassportTheIntentWasSubmittedUnderWhetherOrNotStackNamesItAndPublishesTheRevocation(
            boolean named) {
        // review: a rejected approval without passport_jti left the passport usable and published nothing, while
        // one with it was recorded as a revocation (without an event either)
        fake.seed().intentApprovalsNamePassport(named);
        String jti = h.client.passport().current().jti();
        IntentApproval pending = submitFor(post());
        assertThat(pending.passportJti()).isEqualTo(named ? jti : null);
        CompletableFuture<IntentApproval> decision =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(10));
        h.scheduler.runDue();
        fake.owner().rejectIntent(pending.approvalId(), false);
        nextPoll();

        assertThat(decision)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(StackIntentRejectedException.class, e -> {
                    assertThat(e.approvalId()).isEqualTo(pending.approvalId());
                    assertThat(e.blockFuture()).isFalse();
                    assertThat(e).isInstanceOf(StackPassportRevokedException.class);
                });
        assertThat(fake.isRevoked(jti)).isTrue();
        assertThat(fake.isPassportBlocked(agent)).isFalse();
        assertThat(h.events)
                .filteredOn(e -> e.action().equals("revocation.seen"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.passportJti()).isEqualTo(jti);
                    assertThat(e.outcome()).isEqualTo(ClientEvent.Outcome.SUCCESS);
                    assertThat(e.detail())
                            .containsEntry("reason", "intent_rejected: " + pending.approvalId())
                            .containsEntry("event_type", "revocation.single")
                            .containsEntry("source", "intent_approval");
                });
        int proxyCalls = fake.journal().count("POST", "/v1/proxy");
        // the client refuses the revoked passport itself: nothing is sent under it
        assertThatThrownBy(() -> h.client.proxy().call(post()))
                .isInstanceOfSatisfying(
                        StackPassportRevokedException.class,
                        e -> assertThat(e.getMessage()).contains(jti));
        assertThat(fake.journal().count("POST", "/v1/proxy")).isEqualTo(proxyCalls);

        // reading it again records nothing new: the first end wins, one event per passport
        assertThat(h.client.intents().get(pending.approvalId()).status()).isEqualTo(IntentApprovalStatus.REJECTED);
        assertThat(h.events)
                .filteredOn(e -> e.action().equals("revocation.seen"))
                .hasSize(1);
    }

    @Test
    void aRejectionWithBlockFutureBlocksTheAgentAndUnblockingItNeedsAPersonsApproval() {
        IntentApproval pending = submitFor(post());
        fake.owner().rejectIntent(pending.approvalId(), true);
        CompletableFuture<IntentApproval> decision =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(1));
        h.scheduler.runDue();
        assertThat(decision)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        StackIntentRejectedException.class,
                        e -> assertThat(e.blockFuture()).isTrue());
        assertThat(fake.isPassportBlocked(agent)).isTrue();

        fake.seed().governanceApprovalsRequired(true);
        StackGovernanceApprovalRequiredException asked =
                (StackGovernanceApprovalRequiredException) org.assertj.core.api.Assertions.catchThrowable(
                        () -> h.client.agents().unblock(agent));
        assertThat(asked.httpStatus()).isEqualTo(403);
        assertThat(asked.errorCode()).isEqualTo("GOVERNANCE_APPROVAL_REQUIRED");
        assertThat(asked.approvalId()).startsWith("gvr_");
        assertThat(asked.approvalUrl()).startsWith("https://").endsWith(asked.approvalId());
        assertThat(asked.action()).isEqualTo("agent.unblock");
        assertThat(asked.getMessage()).contains(asked.approvalId()).doesNotContain(asked.approvalUrl());
        assertThat(fake.isPassportBlocked(agent)).isTrue();

        GovernanceApprovalInfo info = h.client.approvals().get(asked.approvalId());
        assertThat(info.status()).isEqualTo(GovernanceApprovalStatus.PENDING);
        assertThat(info.approvalUrl()).isEqualTo(asked.approvalUrl());
        assertThat(info.expiresAt())
                .isEqualTo(
                        CLOCK.instant().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        // not yet approved: the resend is refused and changes nothing
        assertThatThrownBy(() -> h.client.agents().unblock(agent, GovernanceApproval.of(asked.approvalId())))
                .isInstanceOfSatisfying(
                        StackPermissionException.class,
                        e -> assertThat(e.reason()).isEqualTo("governance_approval_pending"));
        fake.owner().approveGovernance(asked.approvalId());
        assertThat(h.client
                        .agents()
                        .unblock(agent, GovernanceApproval.of(asked.approvalId()))
                        .passportBlocked())
                .isFalse();
        assertThat(fake.isPassportBlocked(agent)).isFalse();
        assertThat(fake.owner().governanceStatus(asked.approvalId())).isEqualTo("consumed");
        assertThat(h.client.approvals().listRecent()).singleElement().satisfies(a -> {
            assertThat(a.approvalId()).isEqualTo(asked.approvalId());
            assertThat(a.status()).isEqualTo(GovernanceApprovalStatus.CONSUMED);
            assertThat(a.approvalUrl()).isNull();
        });
    }

    @Test
    void aGovernanceApprovalIsSingleUseAndBoundToTheExactPayload() {
        String helper = fake.seed().agent("helper-bot");
        fake.seed().governanceApprovalsRequired(true);
        GrantRequest read = GrantRequest.of(slackConnection(), java.util.List.of("chat:read"));
        String first = approvalFor(() -> h.client.services().grant(helper, read));
        fake.owner().approveGovernance(first);
        assertThat(h.client
                        .services()
                        .grant(helper, read, GovernanceApproval.of(first))
                        .scopes())
                .containsExactly("chat:read");

        GrantRequest wider = GrantRequest.of(slackConnection(), java.util.List.of("chat:read", "chat:write"));
        assertThatThrownBy(() -> h.client.services().grant(helper, wider, GovernanceApproval.of(first)))
                .isInstanceOfSatisfying(
                        StackPermissionException.class,
                        e -> assertThat(e.reason()).isEqualTo("governance_approval_used"));

        String second = approvalFor(() -> h.client.services().grant(helper, wider));
        fake.owner().approveGovernance(second);
        GrantRequest other = GrantRequest.of(slackConnection(), java.util.List.of("chat:read", "admin"));
        assertThatThrownBy(() -> h.client.services().grant(helper, other, GovernanceApproval.of(second)))
                .isInstanceOfSatisfying(
                        StackPermissionException.class,
                        e -> assertThat(e.reason()).isEqualTo("governance_approval_mismatch"));
        assertThat(fake.owner().governanceStatus(second)).isEqualTo("approved"); // a mismatch does not use it up

        // narrowing applies at once, without a person
        assertThat(h.client.services().grant(helper, read).scopes()).containsExactly("chat:read");
    }

    private static String approvalFor(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(StackGovernanceApprovalRequiredException.class);
        return ((StackGovernanceApprovalRequiredException) t).approvalId();
    }

    @Test
    void aPendingApprovalExpiresOnTheFakesClockAndTheWaitSaysToSubmitANewIntent() {
        IntentApproval pending = h.client
                .intents()
                .submit(IntentClaim.forProxyCall(post(), "post_weekly_update")
                        .reason("the weekly team update")
                        .approvalLifetime(Duration.ofSeconds(60))
                        .build());
        CompletableFuture<IntentApproval> decision =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(10));
        h.scheduler.runDue();
        for (int i = 0; i < 30; i++) {
            nextPoll();
        }
        assertThat(decision)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        StackIntentApprovalRequiredException.class,
                        e -> assertThat(e.reason()).isEqualTo("intent_approval_expired"));
        assertThat(fake.owner().intentStatus(pending.approvalId())).isEqualTo("expired");
        assertThatThrownBy(() -> fake.owner().approveIntent(pending.approvalId()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(approvalReads(pending.approvalId())).isEqualTo(31); // at once, then one per interval
    }

    @Test
    void aWaitEndsAtItsDeadlineAndACancelledWaitStopsReading() {
        IntentApproval pending = submitFor(post());
        CompletableFuture<IntentApproval> shortWait =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofSeconds(5));
        h.scheduler.runDue();
        nextPoll();
        nextPoll();
        nextPoll(); // 6 s
        assertThat(shortWait)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(StackTimeoutException.class);
        int reads = approvalReads(pending.approvalId());
        for (int i = 0; i < 5; i++) {
            nextPoll();
        }
        assertThat(approvalReads(pending.approvalId()))
                .as("no waiter, no reads")
                .isEqualTo(reads);

        CompletableFuture<IntentApproval> cancelled =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(10));
        h.scheduler.runDue();
        cancelled.cancel(true);
        int afterCancel = approvalReads(pending.approvalId());
        for (int i = 0; i < 5; i++) {
            nextPoll();
        }
        assertThat(approvalReads(pending.approvalId())).isEqualTo(afterCancel);
        assertThat(h.scheduler.pending()).noneMatch(n -> n.startsWith("stack-intent"));
    }

    @Test
    void closingTheClientFailsEveryWait() {
        IntentApproval pending = submitFor(post());
        CompletableFuture<IntentApproval> decision =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(10));
        h.client.close();
        assertThat(decision)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(IllegalStateException.class);
    }

    /** A virtual thread where the JDK has them (21+), else a platform thread: the wait must not need either. */
    private static Thread startWaiter(Runnable r) throws Exception {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (Thread) Class.forName("java.lang.Thread$Builder")
                    .getMethod("start", Runnable.class)
                    .invoke(builder, r);
        } catch (NoSuchMethodException e) {
            Thread t = new Thread(r, "approval-waiter");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    private long waitersRegistered() {
        return h.scheduler.pending().stream()
                .filter("stack-intent-wait-deadline"::equals)
                .count();
    }

    @Test
    void aHundredThreadsWaitOnApprovalsWhileEachApprovalIsReadOncePerInterval() throws Exception {
        java.util.List<IntentApproval> approvals = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            approvals.add(submitFor(post()));
        }
        java.util.Map<Integer, IntentApproval> results = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            String id = approvals.get(i % 4).approvalId();
            threads.add(startWaiter(() -> results.put(n, h.client.intents().await(id, Duration.ofMinutes(10)))));
        }
        while (waitersRegistered() < 100) {
            Thread.onSpinWait(); // every waiter has registered its deadline (bounded by the class timeout)
        }
        h.scheduler.runDue();
        for (int i = 0; i < 5; i++) {
            nextPoll();
        }
        for (IntentApproval a : approvals) {
            assertThat(approvalReads(a.approvalId()))
                    .as("one read at once, then one per interval")
                    .isEqualTo(6);
        }
        assertThat(results).isEmpty();
        approvals.forEach(a -> fake.owner().approveIntent(a.approvalId()));
        nextPoll();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results).hasSize(100);
        assertThat(results.values()).allSatisfy(a -> assertThat(a.status()).isEqualTo(IntentApprovalStatus.APPROVED));
        for (IntentApproval a : approvals) {
            assertThat(approvalReads(a.approvalId())).isEqualTo(7);
        }
        assertThat(h.scheduler.pending()).noneMatch(n -> n.startsWith("stack-intent"));
    }

    @Test
    void nothingOnTheWaitPathTakesAMonitor() throws IOException {
        java.nio.file.Path root = java.nio.file.Path.of("src/main/java/run/getstack/sdk/intent");
        try (var files = java.nio.file.Files.walk(root)) {
            java.util.List<java.nio.file.Path> sources =
                    files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(5);
            for (java.nio.file.Path f : sources) {
                assertThat(java.nio.file.Files.readString(f)).as(f.toString()).doesNotContain("synchronized");
            }
        }
    }

    @Test
    void anInterruptEndsABlockingWaitAtOnce() throws Exception {
        IntentApproval pending = submitFor(post());
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = startWaiter(() -> {
            try {
                h.client.intents().await(pending.approvalId(), Duration.ofMinutes(10));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        while (waitersRegistered() < 1) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        waiter.join();
        assertThat(failure.get()).isInstanceOf(run.getstack.sdk.StackInterruptedException.class);
        assertThat(h.scheduler.pending()).noneMatch(n -> n.startsWith("stack-intent"));
    }
}

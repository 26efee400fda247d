package run.getstack.sdk.skill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.identity.Verification;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FakeSkill;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code client.skills()} against the fake: invoke, poll on the client's clock, the 30 s limit, typed refusals. */
class SkillsFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    /** Every wait the client made; each moves the shared test clock instead of sleeping. */
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    final Sleeper advancing = d -> {
        waits.add(d);
        CLOCK.advance(d);
    };

    FakeControlPlane fake;
    String agent;
    StackClient client;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("skill-buyer", "standard");
        client = client(advancing);
    }

    private StackClient client(Sleeper sleeper) {
        return ClientTestHooks.sleeper(
                        StackClient.builder()
                                .baseUrl(fake.baseUrl())
                                .apiKey(fake.operatorApiKey())
                                .agentId(agent)
                                .clock(CLOCK)
                                .retryPolicy(RetryPolicy.none())
                                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled()),
                        sleeper)
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private long polls(String invocationId) {
        return fake.journal().entries().stream()
                .filter(e -> e.path().equals("/v1/skills/invocations/" + invocationId))
                .count();
    }

    @Test
    void invokeAndWaitReturnsTheOutputUnderTheAgentsCurrentPassport() {
        FakeSkill upper = fake.skill("upper")
                .handler(in -> Map.of(
                        "text", in.get("text").toString().toUpperCase(java.util.Locale.ROOT), "n", List.of(1, 2.5)));

        SkillInvocation done = client.skills().invokeAndWait(upper.id(), Map.of("text", "hello"));

        assertThat(done.succeeded()).isTrue();
        assertThat(done.status()).isEqualTo(InvocationStatus.COMPLETED);
        assertThat(done.output()).isEqualTo(Map.of("text", "HELLO", "n", List.of(1L, new java.math.BigDecimal("2.5"))));
        assertThatThrownBy(() -> ((Map<?, ?>) done.output()).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(waits).isEmpty();
        String jti = client.passport().current().jti();
        JournalEntry invoke = fake.journal().entries().stream()
                .filter(e -> e.path().endsWith("/invoke"))
                .findFirst()
                .orElseThrow();
        assertThat(invoke.passportJti()).isEqualTo(jti);
    }

    @Test
    void aSkillRunningLongerThanThirtySecondsOfFakeTimeFailsWithTheTimeout() {
        FakeSkill slow = fake.skill("slow").takes(Duration.ofSeconds(45));
        Instant start = CLOCK.instant();

        SkillInvocation done = client.skills().invokeAndWait(slow.id(), Map.of());

        assertThat(done.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(done.succeeded()).isFalse();
        assertThat(done.error()).isNotNull();
        assertThat(done.error().code()).isEqualTo(SkillError.SKILL_TIMEOUT);
        assertThat(done.output()).isNull();
        assertThat(done.completedAt()).isEqualTo(start.plusSeconds(30));
        assertThat(waits).hasSize(30).containsOnly(Skills.DEFAULT_POLL_INTERVAL);
        assertThat(polls(done.invocationId())).isEqualTo(30);
    }

    @Test
    void anInvocationIdFromTheServerIsCheckedBeforeItBuildsTheNextPath() throws Exception {
        // review: the server's invocation_id went unchecked into the polling path and into messages
        FakeSkill slow = fake.skill("slow-rewritten").takes(Duration.ofSeconds(5));
        try (run.getstack.sdk.lease.LeaseResponseRewriter stack =
                new run.getstack.sdk.lease.LeaseResponseRewriter(fake)) {
            stack.rewritePath = "/v1/skills/" + slow.id() + "/invoke";
            stack.rewriteGrant = o -> o.put("invocation_id", "../../agents/" + agent);
            try (StackClient c = ClientTestHooks.sleeper(
                            StackClient.builder()
                                    .baseUrl(stack.baseUrl())
                                    .apiKey(fake.operatorApiKey())
                                    .agentId(agent)
                                    .clock(CLOCK)
                                    .retryPolicy(RetryPolicy.none())
                                    .circuitBreakerPolicy(CircuitBreakerPolicy.disabled()),
                            advancing)
                    .build()) {
                assertThatThrownBy(() -> c.skills().invokeAndWait(slow.id(), Map.of(), Duration.ofSeconds(10)))
                        .isInstanceOf(run.getstack.sdk.StackMalformedResponseException.class)
                        .hasMessageContaining("invocation_id");
            }
        }
        assertThat(fake.journal().entries().stream().filter(e -> e.path().startsWith("/v1/agents/")))
                .as("no call built from the server's id")
                .isEmpty();
        assertThat(waits).isEmpty();
    }

    @Test
    void pollingStopsAtTheClientsTimeout() {
        FakeSkill slow = fake.skill("slower").takes(Duration.ofSeconds(25));
        Instant start = CLOCK.instant();

        StackSkillTimeoutException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                StackSkillTimeoutException.class,
                () -> client.skills().invokeAndWait(slow.id(), Map.of(), Duration.ofMillis(10_500)));

        assertThat(e).isNotNull();
        assertThat(e.lastStatus()).isEqualTo(InvocationStatus.RUNNING);
        assertThat(CLOCK.instant()).isEqualTo(start.plusMillis(10_500));
        assertThat(waits).hasSize(11).endsWith(Duration.ofMillis(500));
        assertThat(polls(e.invocationId())).isEqualTo(11);

        // the invocation goes on: a later, longer wait with its own interval sees it finish
        waits.clear();
        SkillInvocation done =
                client.skills().awaitResult(e.invocationId(), Duration.ofSeconds(20), Duration.ofSeconds(5));
        assertThat(done.succeeded()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void anInterruptEndsTheWaitAtOnce() throws Exception {
        FakeSkill slow = fake.skill("never").takes(Duration.ofMinutes(5));
        CountDownLatch sleeping = new CountDownLatch(1);
        try (StackClient real = client(d -> {
            sleeping.countDown();
            Sleeper.THREAD_SLEEP.sleep(d);
        })) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    real.skills().invokeAndWait(slow.id(), Map.of(), Duration.ofMinutes(5));
                    outcome.complete(null);
                } catch (Throwable t) {
                    // complete once, after reading the flag, so the test never sees a value that is about to change
                    outcome.complete(Thread.currentThread().isInterrupted() ? new InterruptedFlagKept(t) : t);
                }
            });
            waiter.start();
            assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
            waiter.interrupt();
            Throwable t = outcome.get(10, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(InterruptedFlagKept.class);
            assertThat(t.getCause()).isInstanceOf(StackInterruptedException.class);
        }
    }

    /** Marks that the interrupt flag was still set when the exception arrived. */
    static final class InterruptedFlagKept extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InterruptedFlagKept(Throwable cause) {
            super(cause);
        }
    }

    @Test
    void eachRefusalIsTyped() {
        String other = fake.seed().agent("other-buyer", "standard");
        FakeSkill restricted = fake.skill("restricted").allowedAgents(other);
        assertThatThrownBy(() -> client.skills().invoke(restricted.id(), Map.of()))
                .isInstanceOfSatisfying(StackSkillAccessException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.errorCode()).isEqualTo("UNAUTHORIZED_SKILL_ACCESS");
                })
                .isInstanceOf(StackPermissionException.class);

        FakeSkill trusted = fake.skill("trusted").requiredTrustLevel(1);
        assertThatThrownBy(() -> client.skills().invoke(trusted.id(), Map.of()))
                .isInstanceOfSatisfying(StackTrustLevelException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.requiredTrustLevel()).isEqualTo(1);
                    assertThat(e.trustLevel()).isZero();
                });

        FakeSkill paid = fake.skill("paid").priceCents(250);
        assertThatThrownBy(() -> client.skills().invoke(paid.id(), Map.of()))
                .isInstanceOfSatisfying(StackInsufficientCreditsException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(402);
                    assertThat(e.errorCode()).isEqualTo("INSUFFICIENT_CREDITS");
                });
        fake.walletCents(250);
        assertThat(client.skills().invokeAndWait(paid.id(), Map.of()).succeeded())
                .isTrue();

        assertThatThrownBy(() -> client.skills().get("skl_missing"))
                .isInstanceOfSatisfying(
                        StackNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("SKILL_NOT_FOUND"));
        assertThatThrownBy(() -> client.skills().invocation("sreq_missing"))
                .isInstanceOfSatisfying(
                        StackNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("INVOCATION_NOT_FOUND"));
    }

    @Test
    void aTrustLevelIsMetByAPassportIssuedAfterTheVerification() {
        FakeSkill trusted = fake.skill("trusted-later").requiredTrustLevel(1);
        Verification v = client.identity().startVerification("bankid_se");
        fake.identity().approve(v.sessionId());
        // the client's passport was not issued yet: the one it gets now carries the claim
        assertThat(client.skills().invokeAndWait(trusted.id(), Map.of("q", 1)).succeeded())
                .isTrue();
    }

    @Test
    void listPagesLazilyAndGetReadsOne() {
        for (String n : List.of("a-skill", "b-skill", "c-skill")) {
            fake.skill(n).description("does " + n).priceCents(5);
        }
        int before = fake.journal().entries().size();
        var skills = client.skills().list(2);
        assertThat(fake.journal().entries()).hasSize(before);
        assertThat(skills).extracting(Skill::name).containsExactly("a-skill", "b-skill", "c-skill");
        assertThat(fake.journal().entries().stream().filter(e -> e.path().equals("/v1/skills")))
                .hasSize(2);
        Skill b = client.skills().list().stream()
                .filter(s -> s.name().equals("b-skill"))
                .findFirst()
                .orElseThrow();
        assertThat(client.skills().get(b.id())).isEqualTo(new Skill(b.id(), "b-skill", "does b-skill", 5, 0));
    }

    @Test
    void badInputIsRefusedLocallyNamingTheField() {
        FakeSkill s = fake.skill("any");
        int before = fake.journal().entries().size();
        assertThatThrownBy(() -> client.skills().get("skl/../x")).hasMessageStartingWith("skill_id:");
        assertThatThrownBy(() -> client.skills().invoke("", Map.of())).hasMessageStartingWith("skill_id:");
        assertThatThrownBy(() -> client.skills().invoke(s.id(), Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("input:");
        assertThatThrownBy(() -> client.skills().invoke(s.id(), Map.of("x", "y".repeat(1_000_001))))
                .hasMessageStartingWith("input:");
        assertThatThrownBy(() -> client.skills().invocation("sreq 1")).hasMessageStartingWith("invocation_id:");
        assertThatThrownBy(() -> client.skills().invokeAndWait(s.id(), Map.of(), Duration.ZERO))
                .hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> client.skills().invokeAndWait(s.id(), Map.of(), Duration.ofMinutes(11)))
                .hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> client.skills().awaitResult("sreq_x", Duration.ofSeconds(5), Duration.ofMillis(99)))
                .hasMessageStartingWith("pollInterval:");
        assertThatThrownBy(() -> client.skills().awaitResult("sreq_x", Duration.ofSeconds(5), Duration.ofSeconds(6)))
                .hasMessageStartingWith("pollInterval:");
        assertThatThrownBy(() -> client.skills().list(0)).hasMessageStartingWith("pageSize:");
        assertThatThrownBy(() -> client.skills().list(101)).hasMessageStartingWith("pageSize:");
        assertThat(fake.journal().entries()).hasSize(before);
    }
}

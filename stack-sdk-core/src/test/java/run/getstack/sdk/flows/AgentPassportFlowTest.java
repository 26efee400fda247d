package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static run.getstack.sdk.flows.FlowSupport.REFRESH;
import static run.getstack.sdk.flows.FlowSupport.START;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackServerException;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FaultRule;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The agent's own passport ({@code client.passport()}) against the fake control plane, over real HTTP. */
class AgentPassportFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        // standard mode: no intent needed, and the passport lives the requested 900 s (no checkpoint cap)
        this.agent = fake.seed().agent("holder-bot", "standard");
        String openai = fake.seed().connection("openai", "sk-test-holder", "chat");
        fake.seed().grant(agent, openai, "chat");
    }

    @Test
    void nothingIsSentBeforeTheRefreshPointAndExactlyOneRefreshAfterIt() {
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport first = client.passport().current();
            assertThat(first.lifetime()).isEqualTo(Duration.ofSeconds(900));
            assertThat(fake.journal().entries()).hasSize(1);

            CLOCK.advance(Duration.ofSeconds(674)); // refresh point: 0.75 * 900 s = 675 s
            for (int i = 0; i < 50; i++) {
                assertThat(client.passport().current()).isSameAs(first);
            }
            assertThat(fake.journal().entries())
                    .as("no request before the refresh point")
                    .hasSize(1);

            CLOCK.advance(Duration.ofSeconds(1));
            Passport second = client.passport().current();
            for (int i = 0; i < 50; i++) {
                assertThat(client.passport().current()).isSameAs(second);
            }

            assertThat(second.jti()).isNotEqualTo(first.jti());
            assertThat(second.sessionId()).isNotNull().isEqualTo(first.sessionId());
            assertThat(second.expiresAt()).isEqualTo(CLOCK.instant().plusSeconds(900));
            StackAssertions.assertThat(fake.journal())
                    .hasRequestCount("POST", START, 1)
                    .hasRequestCount("POST", REFRESH, 1);
            JournalEntry refresh = fake.journal().entries("POST", REFRESH).get(0);
            assertThat(refresh.status()).isEqualTo(201);
            assertThat(refresh.body()).contains(first.token().revealPlaintext());
            StackAssertions.assertThat(fake.auditLog())
                    .hasEntryForPassport("passport.issue", first.jti())
                    .hasEntryForPassport("passport.refresh", second.jti())
                    .hasValidChain();
            assertThat(fake.auditLog().withAction("passport.refresh").get(0).detailsJson())
                    .contains(first.jti());
        }
    }

    @Test
    void aThousandThreadsDuringARefreshGetTheCurrentPassportAndOneRefreshIsSent() throws Exception {
        FlowSupport.Gate gate = new FlowSupport.Gate(REFRESH);
        OkHttpClient http = gate.okHttp();
        ExecutorService pool = Executors.newFixedThreadPool(1000);
        try (StackClient client =
                FlowSupport.client(fake, CLOCK, agent).okHttpClient(http).build()) {
            Passport first = client.passport().current();
            CLOCK.advance(Duration.ofSeconds(700)); // past the refresh point, far from expiry

            Future<Passport> refresher = pool.submit(() -> client.passport().current());
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the refresh is in flight

            CountDownLatch start = new CountDownLatch(1);
            List<Future<Passport>> callers = new ArrayList<>();
            for (int i = 0; i < 999; i++) {
                callers.add(pool.submit(() -> {
                    start.await();
                    return client.passport().current();
                }));
            }
            start.countDown();
            for (Future<Passport> f : callers) {
                // the refresh cannot finish before the gate opens: every caller got the held passport at once
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(refresher).isNotDone();

            gate.release.countDown();
            Passport second = refresher.get(10, TimeUnit.SECONDS);
            assertThat(second.jti()).isNotEqualTo(first.jti());
            assertThat(client.passport().current()).isSameAs(second);
            StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 1);
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
            FlowSupport.Gate.close(http);
        }
    }

    @Test
    void aThousandThreadsWithNoPassportYetShareOneIssueRequest() throws Exception {
        FlowSupport.Gate gate = new FlowSupport.Gate(START);
        OkHttpClient http = gate.okHttp();
        ExecutorService pool = Executors.newFixedThreadPool(1000);
        try (StackClient client =
                FlowSupport.client(fake, CLOCK, agent).okHttpClient(http).build()) {
            CountDownLatch started = new CountDownLatch(1000);
            List<Future<Passport>> callers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                callers.add(pool.submit(() -> {
                    started.countDown();
                    return client.passport().current();
                }));
            }
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            gate.release.countDown();

            Passport passport = callers.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Passport> f : callers) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(passport);
            }
            StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", START, 1);
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
            FlowSupport.Gate.close(http);
        }
    }

    @Test
    void aThousandThreadsPastTheExpiryMarginWaitForOneRefresh() throws Exception {
        FlowSupport.Gate gate = new FlowSupport.Gate(REFRESH);
        OkHttpClient http = gate.okHttp();
        ExecutorService pool = Executors.newFixedThreadPool(1000);
        PassportRefreshPolicy policy = PassportRefreshPolicy.builder()
                .jitterFraction(0)
                .expiryMargin(Duration.ofSeconds(60))
                .build();
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent)
                .okHttpClient(http)
                .passportRefreshPolicy(policy)
                .build()) {
            Passport first = client.passport().current();
            CLOCK.advance(Duration.ofSeconds(850)); // within the 60 s margin: it must not be served any more

            CountDownLatch started = new CountDownLatch(1000);
            List<Future<Passport>> callers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                callers.add(pool.submit(() -> {
                    started.countDown();
                    return client.passport().current();
                }));
            }
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            gate.release.countDown();

            for (Future<Passport> f : callers) {
                Passport p = f.get(10, TimeUnit.SECONDS);
                assertThat(p.jti()).isNotEqualTo(first.jti());
                assertThat(p.sessionId()).isEqualTo(first.sessionId());
            }
            StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 1);
        } finally {
            gate.release.countDown();
            pool.shutdownNow();
            FlowSupport.Gate.close(http);
        }
    }

    @Test
    void revokingThePassportThroughTheClientMakesTheHolderTerminalWithoutAnotherRequest() {
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport held = client.passport().current();
            client.passports().revoke(held.jti(), "compromised");
            int requests = fake.journal().entries().size();

            assertRevokedForGood(client.passport());
            CLOCK.advance(Duration.ofSeconds(700)); // past the refresh point: still no request
            assertRevokedForGood(client.passport());
            assertThatThrownBy(() -> client.passports().requireUsable(held))
                    .isInstanceOf(StackPassportRevokedException.class);

            assertThat(fake.journal().entries()).hasSize(requests);
            StackAssertions.assertThat(fake).hasRevokedPassport(held.jti());
            StackAssertions.assertThat(fake.auditLog()).hasEntryForPassport("passport.revoke", held.jti());
        }
    }

    @Test
    void revokingTheAgentThroughTheClientMakesTheHolderTerminal() {
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport held = client.passport().current();
            assertThat(client.passports().revokeAgent(agent, "agent retired").revokedCount())
                    .isEqualTo(1);
            int requests = fake.journal().entries().size();

            assertRevokedForGood(client.passport());
            CLOCK.advance(Duration.ofSeconds(700));
            assertRevokedForGood(client.passport());

            assertThat(fake.journal().entries()).hasSize(requests);
            StackAssertions.assertThat(fake).hasRevokedPassport(held.jti());
        }
    }

    @Test
    void aPassportRevokedElsewhereEndsTheHolderAtItsNextRefreshAndIsNeverServedAgain() {
        try (StackClient holder = FlowSupport.client(fake, CLOCK, agent).build();
                StackClient operator = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport held = holder.passport().current();
            operator.passports().revoke(held.jti(), "revoked by the operator");

            CLOCK.advance(Duration.ofSeconds(675));
            assertThatThrownBy(() -> holder.passport().current())
                    .isInstanceOf(StackPassportRevokedException.class)
                    .satisfies(e -> assertThat(((StackPassportRevokedException) e).errorCode())
                            .isEqualTo("PASSPORT_REVOKED"));
            List<JournalEntry> refreshes = fake.journal().entries("POST", REFRESH);
            assertThat(refreshes).hasSize(1);
            assertThat(refreshes.get(0).status()).isEqualTo(401);
            int requests = fake.journal().entries().size();

            for (int i = 0; i < 3; i++) {
                CLOCK.advance(Duration.ofSeconds(600));
                assertRevokedForGood(holder.passport());
            }
            assertThat(fake.journal().entries())
                    .as("terminal: no refresh, no new issue")
                    .hasSize(requests);
        }
    }

    @Test
    void whileRefreshingFailsTheCurrentPassportIsServedUntilItExpiresThenATypedError() {
        FaultRule outage = fake.faults().on("POST", REFRESH).respondWith(503);
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport held = client.passport().current();
            Instant expiry = held.expiresAt();

            CLOCK.advance(Duration.ofSeconds(675));
            int calls = 0;
            while (CLOCK.instant().isBefore(expiry)) {
                assertThat(client.passport().current()).isSameAs(held);
                assertThat(client.passport().current()).isSameAs(held); // within the backoff: no second request
                calls++;
                CLOCK.advance(Duration.ofSeconds(15));
            }
            int attempts = fake.journal().count("POST", REFRESH);
            assertThat(attempts).as("retried, but at most once per call").isBetween(2, calls);
            assertThat(fake.journal().entries("POST", REFRESH))
                    .allSatisfy(e -> assertThat(e.status()).isEqualTo(503));
            assertThat(outage.appliedCount()).isEqualTo(attempts);

            CLOCK.set(expiry);
            assertThatThrownBy(() -> client.passport().current())
                    .isInstanceOf(StackPassportExpiredException.class)
                    .satisfies(e -> {
                        StackPassportExpiredException x = (StackPassportExpiredException) e;
                        assertThat(x.errorCode()).isEqualTo("PASSPORT_EXPIRED");
                        assertThat(x.getCause()).isInstanceOf(StackServerException.class);
                        assertThat(((StackServerException) x.getCause()).httpStatus())
                                .isEqualTo(503);
                    });
            assertThat(client.passport().peek()).isEmpty();
            assertThat(client.passport().isTerminal()).isFalse();
            assertThat(fake.journal().count("POST", START)).isEqualTo(1);
        }
    }

    @Test
    void whenTheRefreshOutageEndsBeforeExpiryTheHolderRecoversWithoutAnError() {
        fake.faults().on("POST", REFRESH).respondWith(503);
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport held = client.passport().current();
            CLOCK.advance(Duration.ofSeconds(675));
            assertThat(client.passport().current()).isSameAs(held);
            CLOCK.advance(Duration.ofSeconds(100));
            assertThat(client.passport().current()).isSameAs(held);
            assertThat(fake.journal().count("POST", REFRESH)).isEqualTo(2);

            fake.faults().clear();
            CLOCK.advance(Duration.ofSeconds(60)); // beyond any backoff (cap 30 s), still before expiry
            Passport renewed = client.passport().current();

            assertThat(renewed.jti()).isNotEqualTo(held.jti());
            assertThat(renewed.sessionId()).isEqualTo(held.sessionId());
            assertThat(fake.journal().entries("POST", REFRESH).get(2).status()).isEqualTo(201);
            CLOCK.advance(Duration.ofSeconds(100)); // past the old passport's expiry
            assertThat(client.passport().current()).isSameAs(renewed);
            assertThat(fake.journal().count("POST", REFRESH)).isEqualTo(3);
        }
    }

    @Test
    void afterAnOutageLongerThanThePassportTheHolderRefreshesIntoTheSameSession() {
        fake.faults().on("POST", REFRESH).respondWith(503);
        try (StackClient client = FlowSupport.client(fake, CLOCK, agent).build()) {
            Passport held = client.passport().current();
            CLOCK.advance(Duration.ofSeconds(900));
            assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportExpiredException.class);

            fake.faults().clear();
            CLOCK.advance(Duration.ofSeconds(60));
            Passport renewed = client.passport().current();
            assertThat(renewed.jti()).isNotEqualTo(held.jti());
            assertThat(renewed.sessionId()).isEqualTo(held.sessionId());
            assertThat(renewed.expiresAt()).isAfter(CLOCK.instant());
        }
    }

    private static void assertRevokedForGood(AgentPassport holder) {
        assertThatThrownBy(holder::current)
                .isInstanceOf(StackPassportRevokedException.class)
                .satisfies(e -> assertThat(((StackPassportRevokedException) e).errorCode())
                        .isEqualTo("PASSPORT_REVOKED"));
        assertThat(holder.isTerminal()).isTrue();
        assertThat(holder.peek()).isEmpty();
        assertThat(holder.expiresAt()).isEmpty();
    }
}

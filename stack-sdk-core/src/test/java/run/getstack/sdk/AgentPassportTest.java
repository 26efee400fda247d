package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.CheckpointResult;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FaultRule;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The agent's own passport holder against the testkit's fake control plane: refresh failures as fault rules, an
 * in-flight refresh held by a hold rule, server clock skew as the fake's server clock offset.
 */
class AgentPassportTest {
    private static final String ISSUE = "/v1/passports/issue";
    /** The first passport comes with the mission the client starts from the passport request (§10.4.2). */
    private static final String START = "/v1/missions";

    private static final String REFRESH = "/v1/passports/refresh";

    private final TestClock clock = TestClock.create();
    private FakeControlPlane fake;
    private String agentId;
    private StackClient client;

    @BeforeEach
    void start() {
        fake = FakeControlPlane.builder().clock(clock).start();
        // standard mode: no intent needed and the requested 900 s lifetime is kept
        agentId = fake.seed().agent("holder", "standard");
        client = builder(PassportRefreshPolicy.builder().jitterFraction(0).build())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private int count(String path) {
        return fake.journal().count("POST", path);
    }

    private FaultRule refreshAnswers(int status, String code) {
        return fake.faults().on("POST", REFRESH).respondWith(status, code);
    }

    private StackClient.Builder builder(PassportRefreshPolicy policy) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agentId)
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(policy)
                // the journal is asserted exactly: the revocation follower is tested in run.getstack.sdk.revocation
                .revocationFollower(false);
    }

    @Test
    void theFirstCallIssuesAndLaterCallsReuseThePassport() {
        Passport first = client.passport().current();
        Passport again = client.passport().current();

        assertThat(again).isSameAs(first);
        assertThat(count(START)).isEqualTo(1);
        assertThat(count(ISSUE)).isZero();
        assertThat(count(REFRESH)).isZero();
        assertThat(client.passport().expiresAt()).contains(first.expiresAt());
    }

    @Test
    void refreshesAtThreeQuartersOfTheLifetime() {
        Passport first = client.passport().current();
        // 900 s lifetime: refresh from 675 s on
        clock.advance(Duration.ofSeconds(674));
        assertThat(client.passport().current()).isSameAs(first);
        assertThat(count(REFRESH)).isZero();

        clock.advance(Duration.ofSeconds(1));
        Passport second = client.passport().current();
        assertThat(second.jti()).isNotEqualTo(first.jti());
        assertThat(count(REFRESH)).isEqualTo(1);
        assertThat(client.passport().current()).isSameAs(second);
    }

    @Test
    void theRefreshFractionIsConfigurable() {
        client.close();
        client = builder(PassportRefreshPolicy.builder()
                        .refreshFraction(0.5)
                        .jitterFraction(0)
                        .build())
                .build();
        Passport first = client.passport().current();
        clock.advance(Duration.ofSeconds(449));
        assertThat(client.passport().current()).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.passport().current()).isNotSameAs(first);
    }

    @Test
    void jitterMovesTheRefreshWithinTheConfiguredBand() {
        client.close();
        // random 0.0 -> jitter -0.05 of the lifetime: refresh from 0.70 * 900 s = 630 s
        client = builder(PassportRefreshPolicy.builder().jitterFraction(0.05).build())
                .random(() -> 0.0)
                .build();
        Passport first = client.passport().current();
        clock.advance(Duration.ofSeconds(629));
        assertThat(client.passport().current()).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.passport().current()).isNotSameAs(first);
    }

    @Test
    void duringARefreshEveryOtherCallerGetsTheCurrentPassportAndOnlyOneRequestIsMade() throws Exception {
        Passport first = client.passport().current();
        clock.advance(Duration.ofSeconds(700));
        FaultRule gate = fake.faults().on("POST", REFRESH).hold();

        int threads = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<Passport> served = new ConcurrentLinkedQueue<>();
        CountDownLatch allButOne = new CountDownLatch(threads - 1);
        CountDownLatch done = new CountDownLatch(threads);
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    try {
                        served.add(client.passport().current());
                        allButOne.countDown();
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
            // while the one refresh is held at the server, the 999 others complete with the current passport
            assertThat(allButOne.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(served)
                    .hasSize(threads - 1)
                    .allSatisfy(p -> assertThat(p).isSameAs(first));

            gate.release();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            gate.release();
            pool.shutdownNow();
        }
        assertThat(count(REFRESH)).isEqualTo(1);
        assertThat(served).hasSize(threads).filteredOn(p -> p != first).hasSize(1);
    }

    @Test
    void aThousandCallersWaitingOnAnExpiredPassportCauseExactlyOneRequest() throws Exception {
        Passport first = client.passport().current();
        clock.advance(Duration.ofSeconds(900));
        FaultRule gate = fake.faults().on("POST", REFRESH).hold();

        int threads = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<Passport> served = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch done = new CountDownLatch(threads);
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        served.add(client.passport().current());
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
            assertThat(served).isEmpty();
            gate.release();
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            gate.release();
            pool.shutdownNow();
        }
        assertThat(count(REFRESH)).isEqualTo(1);
        assertThat(served).hasSize(threads).allSatisfy(p -> assertThat(p.jti()).isNotEqualTo(first.jti()));
        assertThat(served.stream().map(Passport::jti).distinct()).hasSize(1);
    }

    @Test
    void aRevokedPassportIsTerminalAndNeverServedAgain() {
        client.passport().current();
        refreshAnswers(401, "PASSPORT_REVOKED");
        clock.advance(Duration.ofSeconds(700));

        assertThatThrownBy(() -> client.passport().current())
                .isInstanceOfSatisfying(StackPassportRevokedException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("PASSPORT_REVOKED");
                    assertThat(e.httpStatus()).isEqualTo(401);
                });
        assertThat(client.passport().isTerminal()).isTrue();
        assertThat(client.passport().peek()).isEmpty();

        fake.faults().clear();
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        assertThat(count(REFRESH)).isEqualTo(1);
        assertThat(count(START)).isEqualTo(1);
        assertThat(count(ISSUE)).isZero();
    }

    @Test
    void failingRefreshesKeepServingTheValidPassportAndFailOnlyOnceItHasExpired() {
        Passport first = client.passport().current();
        refreshAnswers(503, "SERVICE_UNAVAILABLE");

        clock.advance(Duration.ofSeconds(700));
        assertThat(client.passport().current()).isSameAs(first);
        assertThat(count(REFRESH)).isEqualTo(1);
        // inside the backoff no new attempt is made
        assertThat(client.passport().current()).isSameAs(first);
        assertThat(count(REFRESH)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(60));
        assertThat(client.passport().current()).isSameAs(first);
        assertThat(count(REFRESH)).isEqualTo(2);

        // one second before expiry it is still served (another failed attempt happens meanwhile)
        clock.advance(Duration.ofSeconds(139));
        assertThat(client.passport().current()).isSameAs(first);
        assertThat(count(REFRESH)).isGreaterThan(2);

        // 900 s lifetime, no margin by default: at 900 s it has expired and is no longer served
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.passport().current())
                .isInstanceOfSatisfying(StackPassportExpiredException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.errorCode()).isEqualTo("PASSPORT_EXPIRED");
                    assertThat(e.getCause()).isInstanceOf(StackServerException.class);
                })
                .hasMessageContaining(first.jti());
        assertThat(client.passport().peek()).isEmpty();

        fake.faults().clear();
        clock.advance(Duration.ofSeconds(60));
        assertThat(client.passport().current().jti()).isNotEqualTo(first.jti());
    }

    @Test
    void anExpiryMarginStopsServingThePassportEarly() {
        client.close();
        client = builder(PassportRefreshPolicy.builder()
                        .jitterFraction(0)
                        .expiryMargin(Duration.ofSeconds(5))
                        .build())
                .build();
        Passport first = client.passport().current();
        refreshAnswers(503, "SERVICE_UNAVAILABLE");
        clock.advance(Duration.ofSeconds(894));
        assertThat(client.passport().current()).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportExpiredException.class);
    }

    @Test
    void aPassportInsideTheExpiryMarginOnArrivalIsNotServed() {
        client.close();
        client = builder(PassportRefreshPolicy.builder()
                        .jitterFraction(0)
                        .expiryMargin(Duration.ofSeconds(5))
                        .build())
                .build();
        // lifetime 900 s, of which 898 s pass before the answer arrives: it expires in 2 s, inside the 5 s margin
        fake.faults()
                .on("POST", START)
                .arriveLate(Duration.ofSeconds(898)); // the first passport comes with its mission

        // the mission's passport is stale on arrival: it is refreshed before anything is served (since missions,
        // the first passport comes from the mission start, so the holder refreshes it instead of failing)
        Passport served = client.passport().current();

        assertThat(count(REFRESH)).isEqualTo(1);
        assertThat(served.expiresAt()).isAfter(clock.instant().plusSeconds(5));
    }

    @Test
    void aPassportTooOldToRefreshIsReplacedByANewIssue() {
        Passport first = client.passport().current();
        // two days on, the fake itself answers 401 PASSPORT_EXPIRED: beyond its refresh window
        clock.advance(Duration.ofDays(2));

        Passport next = client.passport().current();
        assertThat(next.jti()).isNotEqualTo(first.jti());
        // the first came with the mission; the replacement is issued for the same mission
        assertThat(count(START)).isEqualTo(1);
        assertThat(count(ISSUE)).isEqualTo(1);
        assertThat(count(REFRESH)).isEqualTo(1);
    }

    @Test
    void afterCheckoutTheHolderIsTerminalAndPresentingThePassportIsRefusedWithoutARequest() throws Exception {
        Passport p = client.passport().current();
        client.passports().checkout(p, CheckoutRequest.success("done"));
        assertThat(fake.journal().count("POST", "/v1/passports/*/checkout")).isEqualTo(1);
        int requests = fake.journal().entries().size();

        assertThatThrownBy(() -> client.passports().requireUsable(p))
                .isInstanceOfSatisfying(StackPassportCheckedOutException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.errorCode()).isEqualTo("PASSPORT_CHECKED_OUT");
                });
        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportCheckedOutException.class);
        assertThatThrownBy(() -> client.passports()
                        .checkpoint(p, new run.getstack.sdk.passport.CheckpointRequest(List.of(), 0, List.of(), "x")))
                .isInstanceOf(StackPassportCheckedOutException.class);
        assertThat(fake.journal().entries()).hasSize(requests);
    }

    @Test
    void revokingTheHeldPassportThroughTheResourceMakesTheHolderTerminal() {
        Passport p = client.passport().current();
        client.passports().revoke(p.jti(), "operator said stop");
        assertThat(fake.isRevoked(p.jti())).isTrue();

        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> client.passports().requireUsable(p)).isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void aCheckpointThatReSignsTheHeldPassportSwapsItIn() {
        // an enforced agent with a 1800 s checkpoint interval: the fake re-signs the passport to now + 1800 s
        String enforced = fake.seed().agent("enforced-holder", "enforced");
        fake.seed().grant(enforced, fake.seed().connection("slack", "xoxb-test", "chat:write"), "chat:write");
        client.close();
        client = builder(PassportRefreshPolicy.builder().jitterFraction(0).build())
                .agentId(enforced)
                .passportRequest(PassportRequest.builder()
                        .intent(Intent.of("post the daily summary", List.of("slack")))
                        .checkpointInterval(Duration.ofSeconds(1800))
                        .build())
                .build();
        Passport p = client.passport().current();

        CheckpointResult result = client.passports()
                .checkpoint(p, new run.getstack.sdk.passport.CheckpointRequest(List.of("slack"), 1, List.of(), "ok"));
        String resigned = result.resignedPassport().orElseThrow().token().revealPlaintext();

        Passport now = client.passport().current();
        assertThat(resigned).isNotEqualTo(p.token().revealPlaintext());
        assertThat(now.jti()).isEqualTo(p.jti());
        assertThat(now.token().revealPlaintext()).isEqualTo(resigned);
        assertThat(client.passport().expiresAt()).contains(clock.instant().plusSeconds(1800));
    }

    @Test
    void expiryIsKeptOnTheClientClockWhenTheServerClockIsAhead() {
        fake.serverClockOffset(Duration.ofMinutes(10));
        Passport p = client.passport().current();
        // the server says expires_at = server now + 900 s, i.e. 10 min ahead of the client; the holder corrects it
        assertThat(client.passport().expiresAt()).contains(clock.instant().plusSeconds(900));
        assertThat(p.expiresAt()).isEqualTo(clock.instant().plusSeconds(1500));
        clock.advance(Duration.ofSeconds(674));
        assertThat(client.passport().current()).isSameAs(p);
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.passport().current()).isNotSameAs(p);
    }

    @Test
    void withoutAnAgentIdThereIsNoOwnPassport() {
        StackClient noAgent = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .build();
        assertThatThrownBy(noAgent::passport)
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageStartingWith("agentId:");
        noAgent.close();
    }

    @Test
    void theHolderAndItsPassportNeverShowTheToken() {
        Passport p = client.passport().current();
        String token = p.token().revealPlaintext();
        AgentPassport holder = client.passport();
        assertThat(p.toString()).doesNotContain(token).contains("Secret[redacted");
        assertThat(holder.toString()).doesNotContain(token).contains(p.jti());
        assertThat(client.toString()).doesNotContain(token);
    }
}

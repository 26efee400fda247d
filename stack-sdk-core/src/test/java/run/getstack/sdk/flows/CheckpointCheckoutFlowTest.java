package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static run.getstack.sdk.flows.FlowSupport.REFRESH;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.CheckoutResult;
import run.getstack.sdk.passport.CheckpointRequest;
import run.getstack.sdk.passport.CheckpointResult;
import run.getstack.sdk.passport.DelegationRequest;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Checkpoints and checkout of the agent's own passport (enforced mode) against the fake control plane. */
class CheckpointCheckoutFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private static final PassportRequest WITH_INTENT = PassportRequest.builder()
            .intent(Intent.of("summarise the inbox", List.of("openai")))
            .build();

    private FakeControlPlane fake;
    private String agent;
    private StackClient client;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.agent = fake.seed().agent("checkpoint-bot", "enforced");
        String openai = fake.seed().connection("openai", "sk-test-checkpoint", "chat");
        fake.seed().grant(agent, openai, "chat");
        this.client = FlowSupport.client(fake, CLOCK, agent)
                .passportRequest(WITH_INTENT)
                .build();
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        client.close();
    }

    @Test
    void aCheckpointExtendsTheExpiryAndTheReSignedTokenIsSwappedIn() {
        Passport issued = client.passport().current();
        Instant t0 = CLOCK.instant();
        // enforced: the lifetime is capped at the checkpoint interval (300 s by default)
        assertThat(issued.expiresAt()).isEqualTo(t0.plusSeconds(300));

        CLOCK.advance(Duration.ofSeconds(100));
        CheckpointResult result = client.passports()
                .checkpoint(issued, new CheckpointRequest(List.of("openai"), 3, List.of(), "read 3 mails"));

        assertThat(result.accepted()).isTrue();
        assertThat(result.signals()).isEmpty();
        assertThat(result.expiresAt()).isEqualTo(t0.plusSeconds(400));
        Passport resigned = result.resignedPassport().orElseThrow();
        assertThat(resigned.jti()).isEqualTo(issued.jti());
        assertThat(resigned.token().revealPlaintext())
                .isNotEqualTo(issued.token().revealPlaintext());

        Passport held = client.passport().current();
        assertThat(held.jti()).isEqualTo(issued.jti());
        assertThat(held.expiresAt()).isEqualTo(t0.plusSeconds(400));
        assertThat(held.token().revealPlaintext()).isEqualTo(resigned.token().revealPlaintext());
        assertThat(client.passport().expiresAt()).contains(t0.plusSeconds(400));

        // the old schedule (refresh at 225 s, expiry at 300 s) no longer applies
        CLOCK.advance(Duration.ofSeconds(199));
        assertThat(client.passport().current().token().revealPlaintext())
                .isEqualTo(resigned.token().revealPlaintext());
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 0);
        StackAssertions.assertThat(fake.auditLog()).hasEntryForPassport("passport.checkpoint", issued.jti());

        // why the swap matters: an offline verifier judges the token's own exp
        CLOCK.set(t0.plusSeconds(350));
        try (PassportVerifier verifier = PassportVerifier.builder()
                .jwksUrl(fake.baseUrl() + FlowSupport.JWKS)
                .clock(CLOCK)
                .build()) {
            assertThat(verifier.verify(held.token().revealPlaintext()).expiresAt())
                    .isEqualTo(t0.plusSeconds(400));
            assertThatThrownBy(() -> verifier.verify(issued.token().revealPlaintext()))
                    .isInstanceOf(PassportVerificationException.class)
                    .extracting(e -> ((PassportVerificationException) e).reason())
                    .isEqualTo(PassportVerificationException.Reason.EXPIRED);
        }
    }

    @Test
    void afterACheckpointTheRefreshPointIsThreeQuartersOfTheReSignedLifetime() {
        Passport issued = client.passport().current();
        Instant t0 = CLOCK.instant();
        CLOCK.advance(Duration.ofSeconds(200));
        client.passports().checkpoint(issued, new CheckpointRequest(List.of("openai"), 1, List.of(), "one mail"));

        // re-signed at t0+200 with exp t0+500: refresh from t0+200 + 0.75 * 300 s = t0+425
        CLOCK.set(t0.plusSeconds(424));
        assertThat(client.passport().current().jti()).isEqualTo(issued.jti());
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 0);

        CLOCK.set(t0.plusSeconds(425));
        Passport refreshed = client.passport().current();
        assertThat(refreshed.jti()).isNotEqualTo(issued.jti());
        assertThat(refreshed.sessionId()).isEqualTo(issued.sessionId());
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 1);
    }

    @Test
    void afterCheckoutTheClientRefusesToPresentThePassportAndSendsNothingCarryingIt() {
        Passport held = client.passport().current();
        CheckoutResult result = client.passports().checkout(held, CheckoutRequest.success("inbox summarised"));
        assertThat(result.jti()).isEqualTo(held.jti());
        assertThat(result.status()).isEqualTo("clean");
        int requests = fake.journal().entries().size();
        String token = held.token().revealPlaintext();

        assertCheckedOutLocally(() -> client.passports().requireUsable(held));
        assertCheckedOutLocally(() -> client.passport().current());
        assertCheckedOutLocally(() -> client.passports()
                .checkpoint(held, new CheckpointRequest(List.of("openai"), 1, List.of(), "one more")));
        assertCheckedOutLocally(() -> client.passports().refresh(held));
        assertCheckedOutLocally(() -> client.passports()
                .delegate(held, DelegationRequest.builder(agent).build()));
        CLOCK.advance(Duration.ofSeconds(250)); // past the refresh point: the holder stays terminal
        assertCheckedOutLocally(() -> client.passport().current());
        assertThat(client.passport().isTerminal()).isTrue();

        assertThat(fake.journal().entries()).hasSize(requests);
        assertThat(FlowSupport.carrying(fake, held.jti(), token))
                .as("only the issue answer and the checkout itself name the passport")
                .hasSize(1)
                .allSatisfy(e -> assertThat(e.path()).endsWith("/checkout"));
        StackAssertions.assertThat(fake).hasNoAlert("post_checkout_access");
        StackAssertions.assertThat(fake.auditLog())
                .hasEntryCount("passport.checkout", 1)
                .hasNoEntry("passport.checkpoint");
    }

    @Test
    void aClientThatDidNotSeeTheCheckoutGetsTheServersRefusalAndTheDetectorFires() {
        // the control case of the test above: the detector is live, so its silence there means nothing was sent
        Passport held = client.passport().current();
        client.passports().checkout(held, CheckoutRequest.success("done"));
        try (StackClient other = FlowSupport.client(fake, CLOCK, agent).build()) {
            assertThatThrownBy(() -> other.passports()
                            .checkpoint(held, new CheckpointRequest(List.of(), 0, List.of(), "still here")))
                    .isInstanceOf(StackPassportCheckedOutException.class)
                    .satisfies(e -> {
                        StackPassportCheckedOutException x = (StackPassportCheckedOutException) e;
                        assertThat(x.httpStatus()).isEqualTo(403);
                        assertThat(x.errorCode()).isEqualTo("PASSPORT_CHECKED_OUT");
                    });
            // now that client knows too
            assertCheckedOutLocally(() -> other.passports().requireUsable(held));
        }
        StackAssertions.assertThat(fake).hasAlert("post_checkout_access");
    }

    private static void assertCheckedOutLocally(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(StackPassportCheckedOutException.class)
                .satisfies(e -> {
                    StackPassportCheckedOutException x = (StackPassportCheckedOutException) e;
                    assertThat(x.httpStatus())
                            .as("refused by the client, not the server")
                            .isZero();
                    assertThat(x.errorCode()).isEqualTo("PASSPORT_CHECKED_OUT");
                });
    }

    @Test
    void checkingOutAnEarlierPassportOfTheMissionEndsTheHolderEvenAfterARefresh() {
        Passport first = client.passport().current();
        CLOCK.advance(Duration.ofSeconds(230)); // past 3/4 of the 300 s lifetime
        Passport refreshed = client.passport().current();
        assertThat(refreshed.jti()).isNotEqualTo(first.jti());

        client.passports().checkout(first, CheckoutRequest.success("mission done"));

        assertThat(client.passport().isTerminal()).isTrue();
        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportCheckedOutException.class);
    }

    @Test
    void aCheckpointAnsweredWhileARefreshIsInFlightNeverReplacesTheNewerPassport() throws Exception {
        FlowSupport.Gate gate = new FlowSupport.Gate(REFRESH);
        okhttp3.OkHttpClient http = gate.okHttp();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (StackClient gated = FlowSupport.client(fake, CLOCK, agent)
                .passportRequest(WITH_INTENT)
                .okHttpClient(http)
                .build()) {
            Passport first = gated.passport().current();
            CLOCK.advance(Duration.ofSeconds(230));
            java.util.concurrent.Future<Passport> refreshing =
                    pool.submit(() -> gated.passport().current());
            assertThat(gate.entered.await(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            java.util.concurrent.atomic.AtomicReference<CheckpointResult> checkpointed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread checkpoint = new Thread(() -> checkpointed.set(gated.passports()
                    .checkpoint(first, new CheckpointRequest(List.of("openai"), 1, List.of(), "one step"))));
            checkpoint.start();
            // the fake answers the checkpoint (re-signing the first passport) while the refresh waits at the gate;
            // then the checkpoint thread parks, waiting to hand the re-signed passport to the holder
            String path = "/v1/passports/" + first.jti() + "/checkpoint";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (fake.journal().count("POST", path) == 0 || checkpoint.getState() != Thread.State.WAITING) {
                assertThat(System.nanoTime())
                        .as("checkpoint answered and parked")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            gate.release.countDown();
            Passport refreshed = refreshing.get(30, java.util.concurrent.TimeUnit.SECONDS);
            checkpoint.join(30_000);
            assertThat(checkpointed.get().accepted()).isTrue();

            assertThat(refreshed.jti()).isNotEqualTo(first.jti());
            assertThat(gated.passport().current().jti()).isEqualTo(refreshed.jti());
            // the holder still knows which passport it serves: revoking that one ends it
            gated.passports().revoke(refreshed.jti(), "test");
            assertThat(gated.passport().isTerminal()).isTrue();
        } finally {
            pool.shutdownNow();
            FlowSupport.Gate.close(http);
        }
    }
}

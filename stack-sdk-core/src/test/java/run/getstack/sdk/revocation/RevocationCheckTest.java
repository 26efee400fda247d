package run.getstack.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A service's {@link PassportVerifier} with the operator client's {@code revocationCheck()}: a token another agent
 * presents is refused once it is revoked, whether the follower saw it on the feed or asks its status; with no answer
 * past the bound it fails closed.
 */
class RevocationCheckTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    FakeControlPlane fake;
    String agent;
    ManualTaskScheduler scheduler;
    StackClient service;
    StackClient issuer;
    PassportVerifier verifier;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        fake.faults().clear();
        agent = fake.seed().agent("presenting-bot", "standard");
        scheduler = new ManualTaskScheduler(CLOCK);
        StackClient.Builder b = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled());
        service = ClientTestHooks.scheduler(b, scheduler).build();
        issuer = ClientTestHooks.withoutRevocationFollower(StackClient.builder()
                        .baseUrl(fake.baseUrl())
                        .apiKey(fake.operatorApiKey())
                        .clock(CLOCK)
                        .retryPolicy(RetryPolicy.none()))
                .build();
        verifier = PassportVerifier.builder()
                .jwksUrl(fake.baseUrl() + "/v1/.well-known/jwks.json")
                .clock(CLOCK)
                .revocationCheck(service.revocationCheck())
                .build();
    }

    @AfterEach
    void tearDown() {
        verifier.close();
        service.close();
        issuer.close();
    }

    private Passport presented() {
        return issuer.passports()
                .issue(
                        agent,
                        PassportRequest.builder()
                                .missionId(fake.seed().mission(agent, "presented to a service"))
                                .build());
    }

    @Test
    void aTokenRevokedAfterItWasAcceptedIsRefusedOnceTheFeedSaysSoEvenFromTheCache() {
        Passport p = presented();
        assertThat(verifier.verify(p.token().revealPlaintext()).jti()).isEqualTo(p.jti());
        scheduler.runDue(); // the follower starts with the first passport it is asked about

        issuer.passports().revoke(p.jti(), "agent went rogue");
        CLOCK.advance(Duration.ofSeconds(1));
        scheduler.runDue();

        assertThatThrownBy(() -> verifier.verify(p.token().revealPlaintext()))
                .isInstanceOf(PassportVerificationException.class)
                .satisfies(e -> assertThat(((PassportVerificationException) e).reason())
                        .isEqualTo(PassportVerificationException.Reason.REVOKED));
    }

    @Test
    void aTokenRevokedBeforeTheFollowerKnewItIsAskedAboutOnceAndRefused() {
        Passport p = presented();
        issuer.passports().revoke(p.jti(), "revoked an hour ago");
        CLOCK.advance(Duration.ofMinutes(2)); // older than the bound: the issue proves nothing any more
        int asks = fake.journal().count("GET", "/v1/revocations/{jti}");

        assertThatThrownBy(() -> verifier.verify(p.token().revealPlaintext()))
                .isInstanceOf(PassportVerificationException.class)
                .satisfies(e -> assertThat(((PassportVerificationException) e).reason())
                        .isEqualTo(PassportVerificationException.Reason.REVOKED));
        assertThat(fake.journal().count("GET", "/v1/revocations/{jti}")).isEqualTo(asks + 1);
        assertThatThrownBy(() -> verifier.verify(p.token().revealPlaintext()))
                .isInstanceOf(PassportVerificationException.class);
        assertThat(fake.journal().count("GET", "/v1/revocations/{jti}"))
                .as("remembered: not asked again")
                .isEqualTo(asks + 1);
    }

    @Test
    void aLiveTokenIsAcceptedAndNoAnswerPastTheBoundFailsClosed() {
        Passport p = presented();
        CLOCK.advance(Duration.ofMinutes(2));
        assertThat(verifier.verify(p.token().revealPlaintext()).jti()).isEqualTo(p.jti());
        scheduler.runDue();

        fake.faults().on("GET", "/v1/revocations").respondWith(503);
        fake.faults().on("GET", "/v1/revocations/{jti}").respondWith(503);
        CLOCK.advance(Duration.ofSeconds(61));
        scheduler.runDue();

        assertThatThrownBy(() -> verifier.verify(p.token().revealPlaintext()))
                .isInstanceOf(PassportVerificationException.class)
                .satisfies(e -> {
                    assertThat(((PassportVerificationException) e).reason())
                            .isEqualTo(PassportVerificationException.Reason.REVOCATION_CHECK_FAILED);
                    assertThat(e.getCause()).isInstanceOf(StackRevocationUnknownException.class);
                });
    }
}

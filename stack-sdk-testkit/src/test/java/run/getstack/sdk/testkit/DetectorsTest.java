package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class DetectorsTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    SeededPassport passport;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed()
                .newAgent("bursty")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create(); // blocks on critical, reads credentials
        String conn = fake.seed().connection("openai", "sk-b", "chat");
        fake.seed().grant(agent, conn, "chat");
        passport = fake.seed().passport(agent, "s", "openai");
    }

    private int credentialCalls(int n) {
        int last = 0;
        for (int i = 0; i < n; i++) {
            last = http.passport(passport.token()).get("/v1/credentials/openai").status();
        }
        return last;
    }

    @Test
    void burstDoesNotFireBelowTwelveTimesBaseline() {
        fake.seed().baseline(agent, 1.0);
        assertThat(credentialCalls(11)).isEqualTo(200);
        StackAssertions.assertThat(fake).hasNoAlert("credential_burst");
    }

    @Test
    void burstFiresAtTwelveTimesBaselineWithinTheWindowAndAlertsByDefault() {
        fake.seed().baseline(agent, 1.0);
        assertThat(credentialCalls(12)).isEqualTo(200);
        StackAssertions.assertThat(fake).hasAlert("credential_burst", "notified");
        SecurityEvent e = fake.securityEvents().get(0);
        assertThat(e.severity()).isEqualTo("warning");
        assertThat(e.passportJti()).isEqualTo(passport.jti());
        assertThat(e.metadataJson()).contains("\"credential_count\":12").contains("\"time_window_seconds\":4");
        StackAssertions.assertThat(fake.auditLog()).hasEntry("security.event");
        // at most once per passport
        credentialCalls(3);
        assertThat(fake.securityEvents()).hasSize(1);
    }

    @Test
    void requestsSpreadOutsideTheWindowDoNotFire() {
        fake.seed().baseline(agent, 1.0);
        for (int i = 0; i < 24; i++) {
            credentialCalls(1);
            CLOCK.advance(Duration.ofMillis(400));
        }
        StackAssertions.assertThat(fake).hasNoAlert("credential_burst");
    }

    @Test
    void measuredBaselineRaisesTheThreshold() {
        // look-back 40 s = 10 windows of 4 s; 10 requests spread over it = a baseline of 1 per window
        fake.detectors().baselineLookback(Duration.ofSeconds(40));
        for (int i = 0; i < 10; i++) {
            CLOCK.advance(Duration.ofMillis(3990));
            credentialCalls(1);
        }
        CLOCK.advance(Duration.ofSeconds(5));
        StackAssertions.assertThat(fake).hasNoAlerts();
        credentialCalls(11);
        StackAssertions.assertThat(fake).hasNoAlert("credential_burst");
        credentialCalls(1);
        StackAssertions.assertThat(fake).hasAlert("credential_burst");
        assertThat(fake.securityEvents().get(0).metadataJson()).contains("\"baseline_per_window\":1.0");
    }

    @Test
    void burstInBlockModeRevokesThePassportAndBlocksTheAgent() {
        fake.detectors().mode(Signal.CREDENTIAL_BURST, DetectorMode.BLOCK);
        fake.seed().baseline(agent, 0.0);
        assertThat(credentialCalls(4)).isEqualTo(200);
        Http.Reply fifth = http.passport(passport.token()).get("/v1/credentials/openai");
        Replies.assertError(fifth, 401, "PASSPORT_REVOKED");
        assertThat(fifth.text()).doesNotContain("sk-b");
        StackAssertions.assertThat(fake)
                .hasAlert("credential_burst", "blocked")
                .hasRevokedPassport(passport.jti())
                .hasPassportBlockedAgent(agent);
        assertThat(http.get("/v1/revocations/" + passport.jti())
                        .json()
                        .path("reason")
                        .asText())
                .startsWith("credential_burst_fire: 5 credential requests in 4s");
        Replies.assertError(
                http.post(
                        "/v1/passports/issue",
                        Map.of(
                                "agent_id",
                                agent,
                                "mission_ids",
                                List.of(fake.seed().mission(agent, "s", "openai")),
                                "intent",
                                Map.of("summary", "s", "services", List.of("openai")))),
                403,
                "PASSPORT_BLOCKED");
    }

    @Test
    void burstCountsLeaseGrantsToo() {
        fake.seed().baseline(agent, 0.0);
        for (int i = 0; i < 5; i++) {
            http.passport(passport.token()).post("/v1/leases", Map.of("provider", "openai"));
        }
        StackAssertions.assertThat(fake).hasAlert("credential_burst");
    }

    @Test
    void detectorOffNeverFires() {
        fake.detectors().mode(Signal.CREDENTIAL_BURST, DetectorMode.OFF);
        fake.seed().baseline(agent, 0.0);
        credentialCalls(30);
        StackAssertions.assertThat(fake).hasNoAlerts();
    }

    @Test
    void outOfScopeRequestIsCriticalForEnforcedAgentsAndBlocks() {
        fake.seed().connection("stripe", "sk_stripe", "charges");
        Http.Reply r = http.passport(passport.token()).get("/v1/credentials/stripe");
        Replies.assertError(r, 403, "FORBIDDEN");
        assertThat(r.reason()).isEqualTo("credential_outside_scope");
        StackAssertions.assertThat(fake)
                .hasAlert("credential_outside_scope", "blocked")
                .hasAlert("scope_drift")
                .hasRevokedPassport(passport.jti())
                .hasPassportBlockedAgent(agent);
        StackAssertions.assertThat(fake.auditLog()).hasEntry("credential.retrieve", "blocked");
    }

    @Test
    void outOfScopeInAlertModeOnlyNotifies() {
        fake.detectors().mode(Signal.CREDENTIAL_OUTSIDE_SCOPE, DetectorMode.ALERT);
        fake.seed().connection("stripe", "sk_stripe", "charges");
        assertThat(http.passport(passport.token()).get("/v1/credentials/stripe").status())
                .isEqualTo(403);
        StackAssertions.assertThat(fake).hasAlert("credential_outside_scope", "notified");
        assertThat(fake.isRevoked(passport.jti())).isFalse();
        assertThat(fake.isPassportBlocked(agent)).isFalse();
    }

    @Test
    void inScopeRequestsRaiseNoScopeAlerts() {
        credentialCalls(2);
        StackAssertions.assertThat(fake).hasNoAlerts();
    }

    @Test
    void checkpointWithAServiceOutsideTheIntentReportsTheSignal() {
        String logged = fake.seed().agent("logger", "logged");
        SeededPassport p = fake.seed().passport(logged, "s", "openai");
        JsonNode r = http.post(
                        "/v1/passports/" + p.jti() + "/checkpoint",
                        Map.of("services_used", List.of("openai", "github"), "actions_count", 2, "summary", "s"))
                .json();
        assertThat(r.path("signals").get(0).path("signal_type").asText()).isEqualTo("credential_outside_scope");
        assertThat(r.path("signals").get(0).path("severity").asText()).isEqualTo("warning");
        assertThat(r.path("signals").get(0).path("action").asText()).isEqualTo("notified");
    }

    @Test
    void postCheckoutAccessIsDetectedOnCredentialLeaseAndCheckpoint() {
        fake.detectors().mode(Signal.POST_CHECKOUT_ACCESS, DetectorMode.ALERT);
        http.post("/v1/passports/" + passport.jti() + "/checkout", Map.of("summary", "done"));
        Replies.assertError(http.passport(passport.token()).get("/v1/credentials/openai"), 403, "PASSPORT_CHECKED_OUT");
        Replies.assertError(
                http.passport(passport.token()).post("/v1/leases", Map.of("provider", "openai")),
                403,
                "PASSPORT_CHECKED_OUT");
        assertThat(fake.securityEvents())
                .extracting(SecurityEvent::signalType)
                .containsExactly("post_checkout_access", "post_checkout_access");
    }

    @Test
    void noPostCheckoutAlertBeforeCheckout() {
        credentialCalls(1);
        http.post("/v1/passports/" + passport.jti() + "/checkout", Map.of("summary", "done"));
        StackAssertions.assertThat(fake).hasNoAlert("post_checkout_access");
    }

    @Test
    void securityEventsEndpointListsGetsAndResolves() {
        fake.seed().baseline(agent, 0.0);
        credentialCalls(5);
        JsonNode list = http.get("/v1/security-events").json();
        assertThat(list.path("unresolved_count").asInt()).isEqualTo(1);
        JsonNode e = list.path("events").get(0);
        assertThat(e.path("signal_type").asText()).isEqualTo("credential_burst");
        assertThat(e.path("metadata").path("multiplier").asDouble()).isEqualTo(12.0);
        String id = e.path("id").asText();
        assertThat(http.get("/v1/security-events/" + id).json().path("id").asText())
                .isEqualTo(id);
        JsonNode resolved = http.post("/v1/security-events/" + id + "/resolve", Map.of("note", "ok"))
                .json();
        assertThat(resolved.path("resolved").asBoolean()).isTrue();
        assertThat(resolved.path("resolution_note").asText()).isEqualTo("ok");
        assertThat(http.get("/v1/security-events").json().path("events")).isEmpty();
        assertThat(http.get("/v1/security-events?include_resolved=true").json().path("events"))
                .hasSize(1);
        Replies.assertError(http.get("/v1/security-events/sev_nope"), 404, "NOT_FOUND");
        Replies.assertError(http.get("/v1/security-events?limit=0"), 400, "INVALID_REQUEST", "limit");
    }

    @Test
    void detectorSettingsValidateAtOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> fake.detectors().burstMultiplier(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burstMultiplier");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> fake.detectors().burstWindow(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burstWindow");
        assertThat(fake.detectors().burstWindow())
                .isEqualTo(Detectors.DEFAULT_BURST_WINDOW)
                .hasSeconds(4);
        assertThat(Detectors.DEFAULT_BURST_MULTIPLIER).isEqualTo(12.0);
    }
}

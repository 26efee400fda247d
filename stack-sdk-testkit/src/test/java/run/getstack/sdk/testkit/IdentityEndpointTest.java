package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Identity claims (wire protocol §10.2): providers, the verification flow, claims in passports, bulk_claim. */
class IdentityEndpointTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("verified-bot", "standard");
    }

    private String verifiedClaim() {
        JsonNode started = http.post(
                        "/v1/identity/verifications",
                        Map.of("provider_key", "bankid_se", "requested_claims", List.of("verified_human")))
                .json();
        String session = started.path("session_id").asText();
        List<String> claims = fake.identity().approve(session);
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }

    @Test
    void providersAreABareArrayOfStacksDocumentedProviders() {
        JsonNode providers = http.get("/v1/identity/providers").json();
        assertThat(providers.isArray()).isTrue();
        assertThat(providers.findValuesAsText("provider_key"))
                .contains("bankid_se", "stripe_identity", "login_gov", "id_me", "plaid");
        assertThat(providers.get(0).path("id").asText()).startsWith("idp_");
        assertThat(providers.get(0).path("claim_types").toString()).contains("verified_human");
    }

    @Test
    void aVerificationStaysPendingUntilTheProviderDecidesThenCompletesWithItsClaims() {
        Http.Reply started = http.post(
                "/v1/identity/verifications",
                Map.of(
                        "provider_key",
                        "bankid_se",
                        "requested_claims",
                        List.of("verified_human", "verified_identity")));
        assertThat(started.status()).isEqualTo(201);
        String session = started.json().path("session_id").asText();
        assertThat(session).startsWith("idv_");
        assertThat(started.json().path("status").asText()).isEqualTo("pending");
        Http.Reply early = http.post(
                "/v1/identity/verifications/complete", Map.of("provider", "bankid_se", "session_ref", session));
        Replies.assertError(early, 409, "CONFLICT");
        assertThat(early.reason()).isEqualTo("verification_pending");

        List<String> claims = fake.identity().approve(session);

        JsonNode status = http.get("/v1/identity/verifications/" + session).json();
        assertThat(status.path("status").asText()).isEqualTo("completed");
        JsonNode done = http.post(
                        "/v1/identity/verifications/complete", Map.of("provider", "bankid_se", "session_ref", session))
                .json();
        assertThat(done.path("claims").findValuesAsText("claim_id")).containsExactlyElementsOf(claims);
        JsonNode identity = done.path("claims").get(1);
        assertThat(identity.path("layer").asText()).isEqualTo("identity");
        assertThat(identity.path("claim_type").asText()).isEqualTo("verified_identity");
        assertThat(identity.path("assurance_level").asText()).isEqualTo("high");
        assertThat(identity.path("verified_at").asLong())
                .isEqualTo(CLOCK.instant().getEpochSecond());
        JsonNode listed = http.get("/v1/identity/claims").json().path("claims");
        assertThat(listed.findValuesAsText("status")).containsOnly("active");
        assertThatThrownBy(() -> fake.identity().approve(session)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRejectedOrExpiredSessionNeverCompletes() {
        String a = http.post("/v1/identity/verifications", Map.of("provider_key", "plaid"))
                .json()
                .path("session_id")
                .asText();
        fake.identity().reject(a);
        assertThat(http.post("/v1/identity/verifications/complete", Map.of("provider_key", "plaid", "session_id", a))
                        .reason())
                .isEqualTo("verification_failed");
        String b = http.post("/v1/identity/verifications", Map.of("provider_key", "plaid"))
                .json()
                .path("session_id")
                .asText();
        CLOCK.advance(Duration.ofMinutes(10));
        assertThat(http.get("/v1/identity/verifications/" + b)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("expired");
        assertThatThrownBy(() -> fake.identity().approve(b)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badStartsNameTheField() {
        Replies.assertError(
                http.post("/v1/identity/verifications", Map.of("provider_key", "nope")),
                400,
                "INVALID_REQUEST",
                "provider_key");
        Replies.assertError(
                http.post(
                        "/v1/identity/verifications",
                        Map.of("provider_key", "plaid", "requested_claims", List.of("verified_identity"))),
                400,
                "INVALID_REQUEST",
                "requested_claims");
        Replies.assertError(http.get("/v1/identity/verifications/idv_unknown"), 404, "NOT_FOUND");
    }

    @Test
    void passportsCarryTheOperatorsActiveClaimsWithoutPersonalData() {
        String claim = verifiedClaim();
        SeededPassport p = fake.seed().passport(agent, "s");
        JsonNode embedded = http.post("/v1/passports/verify", Map.of("token", p.token()))
                .json()
                .path("claims")
                .path("stk")
                .path("identity_claims");
        assertThat(embedded).hasSize(1);
        assertThat(embedded.get(0).path("claim_id").asText()).isEqualTo(claim);
        assertThat(embedded.get(0).path("provider").asText()).isEqualTo("bankid_se");
        assertThat(embedded.get(0).path("layer").asText()).isEqualTo("humanity");
        assertThat(embedded.get(0).path("claim_type").asText()).isEqualTo("verified_human");
        assertThat(embedded.get(0).path("expires_at").asLong())
                .isEqualTo(CLOCK.instant().plus(Duration.ofDays(90)).getEpochSecond());
        assertThat(embedded.get(0).size()).as("only the documented members").isEqualTo(7);
    }

    @Test
    void revokingAClaimRevokesEveryPassportCarryingItAsOneBulkClaimEvent() {
        String cursor = http.get("/v1/revocations").json().path("cursor").asText();
        String claim = verifiedClaim();
        SeededPassport a = fake.seed().passport(agent, "a");
        SeededPassport b = fake.seed().passport(agent, "b");
        String other = verifiedClaim();
        SeededPassport c =
                fake.seed().newPassport(agent).intent("c").identityClaims(other).create();

        JsonNode revoked = http.delete("/v1/identity/claims/" + claim).json();

        assertThat(revoked.path("revoked_count").asInt()).isEqualTo(2);
        assertThat(fake.isRevoked(a.jti())).isTrue();
        assertThat(fake.isRevoked(b.jti())).isTrue();
        assertThat(fake.isRevoked(c.jti())).as("does not carry the claim").isFalse();
        JsonNode events = http.get("/v1/revocations?since=" + cursor).json().path("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("bulk_claim");
        assertThat(events.get(0).path("claim_id").asText()).isEqualTo(claim);
        assertThat(events.get(0).path("reason").asText()).isEqualTo("claim_revoked: " + claim);
        assertThat(events.get(0).path("jtis").toString()).contains(a.jti(), b.jti());
        JsonNode status = http.get("/v1/revocations/" + a.jti()).json();
        assertThat(status.path("state").asText()).isEqualTo("revoked");
        assertThat(status.path("type").asText()).isEqualTo("bulk_claim");
        JsonNode verify =
                http.post("/v1/passports/verify", Map.of("token", a.token())).json();
        assertThat(verify.path("valid").asBoolean()).isFalse();
        assertThat(verify.path("reason").asText()).isEqualTo("revoked");

        JsonNode again = http.delete("/v1/identity/claims/" + claim).json();
        assertThat(again.path("revoked_count").asInt()).isZero();
        assertThat(http.get("/v1/identity/claims")
                        .json()
                        .path("claims")
                        .get(0)
                        .path("status")
                        .asText())
                .isEqualTo("revoked");
        SeededPassport after = fake.seed().passport(agent, "after");
        assertThat(fake.passportClaims(after.jti()).toString()).doesNotContain(claim);
        Replies.assertError(
                http.post(
                        "/v1/passports/issue",
                        Map.of(
                                "agent_id",
                                agent,
                                "mission_ids",
                                List.of(fake.seed().mission(agent, "m")),
                                "identity_claim_ids",
                                List.of(claim))),
                400,
                "INVALID_REQUEST",
                "identity_claim_ids");
        Replies.assertError(http.delete("/v1/identity/claims/clm_unknown"), 404, "NOT_FOUND");
    }

    @Test
    void aRefreshedPassportDropsARevokedClaim() {
        String claim = verifiedClaim();
        String kept = verifiedClaim();
        SeededPassport p =
                fake.seed().newPassport(agent).intent("r").identityClaims(kept).create();
        http.delete("/v1/identity/claims/" + claim);
        JsonNode refreshed =
                http.post("/v1/passports/refresh", Map.of("token", p.token())).json();
        Map<String, Object> claims = fake.passportClaims(refreshed.path("jti").asText());
        assertThat(claims.toString()).contains(kept).doesNotContain(claim);
    }
}

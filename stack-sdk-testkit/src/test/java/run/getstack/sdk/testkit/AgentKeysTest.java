package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class AgentKeysTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    KeyPair keys;

    @BeforeEach
    void seed(FakeControlPlane fake) throws Exception {
        agent = fake.seed()
                .newAgent("keyed")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create(); // reads raw credentials
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    Http.Reply enroll(String agentId, KeyPair kp, Map<String, Object> jwkExtra) {
        return http.enroll(agentId, kp, jwkExtra);
    }

    String jwt(String sub, KeyPair kp, Map<String, Object> overrides) {
        return Http.agentJwt(fake, sub, kp, CLOCK.instant(), overrides);
    }

    Http asAgent(Map<String, Object> overrides) {
        return http.key(jwt(agent, keys, overrides));
    }

    @Test
    void enrollmentStoresThePublicKeyOnly() throws Exception {
        Http.Reply r = enroll(agent, keys, Map.of());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("public_key_jwk").path("x").asText()).isEqualTo(Http.jwkX(keys));
        assertThat(r.json().path("public_key_jwk").has("d")).isFalse();
        StackAssertions.assertThat(fake.auditLog()).hasEntry("agent.enroll");
    }

    @Test
    void enrollmentRejectsEachBadInputWithItsReason() throws Exception {
        assertThat(enroll(agent, keys, Map.of("d", "secret")).reason()).isEqualTo("private_key_sent");
        assertThat(enroll(agent, keys, Map.of("crv", "X25519")).reason()).isEqualTo("bad_public_key");
        JsonNode ch = http.post("/v1/agents/" + agent + "/enrollment-challenge", Map.of())
                .json();
        assertThat(ch.path("challenge").asText()).hasSize(43);
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Map<String, Object> jwk = Map.of("kty", "OKP", "crv", "Ed25519", "x", Http.jwkX(keys));
        Map<String, Object> body = Map.of(
                "public_key", jwk,
                "challenge_id", ch.path("challenge_id").asText(),
                "signed_challenge", Http.sign(other, ch.path("challenge").asText()));
        assertThat(http.post("/v1/agents/" + agent + "/enroll", body).reason()).isEqualTo("bad_signature");
        Map<String, Object> good = Map.of(
                "public_key", jwk,
                "challenge_id", ch.path("challenge_id").asText(),
                "signed_challenge", Http.sign(keys, ch.path("challenge").asText()));
        assertThat(http.post("/v1/agents/" + agent + "/enroll", good).status()).isEqualTo(200);
        assertThat(http.post("/v1/agents/" + agent + "/enroll", good).reason()).isEqualTo("challenge_used");
        String otherAgent = fake.seed().agent("other-keyed");
        assertThat(http.post("/v1/agents/" + otherAgent + "/enroll", good).reason())
                .isEqualTo("challenge_unknown");
        JsonNode late = http.post("/v1/agents/" + agent + "/enrollment-challenge", Map.of())
                .json();
        CLOCK.advance(Duration.ofMinutes(5));
        Http.Reply expired = http.post(
                "/v1/agents/" + agent + "/enroll",
                Map.of(
                        "public_key", jwk,
                        "challenge_id", late.path("challenge_id").asText(),
                        "signed_challenge",
                                Http.sign(keys, late.path("challenge").asText())));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.reason()).isEqualTo("challenge_expired");
    }

    @Test
    void anEnrolledAgentActsForItselfOnly() throws Exception {
        enroll(agent, keys, Map.of());
        String conn = fake.seed().connection("openai", "sk-agent-secret", "chat");
        fake.seed().grant(agent, conn, "chat");
        assertThat(asAgent(Map.of()).get("/v1/agents/" + agent).status()).isEqualTo(200);
        String other = fake.seed().agent("not-me");
        Http.Reply denied = asAgent(Map.of()).get("/v1/agents/" + other);
        Replies.assertError(denied, 403, "FORBIDDEN");
        assertThat(denied.reason()).isEqualTo("agent_principal");
        assertThat(asAgent(Map.of()).get("/v1/agents").reason()).isEqualTo("agent_principal");
        assertThat(asAgent(Map.of())
                        .post("/v1/passports/issue", Map.of("agent_id", other))
                        .reason())
                .isEqualTo("agent_principal");
        Http.Reply issued = asAgent(Map.of())
                .post(
                        "/v1/passports/issue",
                        Map.of(
                                "agent_id",
                                agent,
                                "mission_ids",
                                List.of(fake.seed().mission(agent, "s", "openai")),
                                "intent",
                                Map.of("summary", "s", "services", List.of("openai"))));
        assertThat(issued.status()).as(issued.text()).isEqualTo(201);
        String token = issued.json().path("token").asText();
        assertThat(asAgent(Map.of())
                        .passport(token)
                        .get("/v1/credentials/openai")
                        .json()
                        .path("credential")
                        .asText())
                .isEqualTo("sk-agent-secret");
        assertThat(asAgent(Map.of()).get("/v1/credentials/openai").reason()).isEqualTo("passport_required");
        String otherToken = fake.seed().passport(other, "s").token();
        assertThat(asAgent(Map.of())
                        .passport(otherToken)
                        .get("/v1/credentials/openai")
                        .reason())
                .isEqualTo("passport_not_yours");
    }

    @Test
    void agentTokensAreCheckedClaimByClaim() throws Exception {
        enroll(agent, keys, Map.of());
        String jti = "fixed-jti-1";
        assertThat(asAgent(Map.of("jti", jti)).get("/v1/agents/" + agent).status())
                .isEqualTo(200);
        assertThat(asAgent(Map.of("jti", jti)).get("/v1/agents/" + agent).reason())
                .isEqualTo("replay");
        long now = CLOCK.instant().getEpochSecond();
        assertThat(asAgent(Map.of("aud", "stack:passport"))
                        .get("/v1/agents/" + agent)
                        .reason())
                .isEqualTo("bad_audience");
        assertThat(asAgent(Map.of("aud", List.of("x", "stack:agent")))
                        .get("/v1/agents/" + agent)
                        .status())
                .isEqualTo(200);
        assertThat(asAgent(Map.of("iss", "me")).get("/v1/agents/" + agent).reason())
                .isEqualTo("bad_issuer");
        assertThat(asAgent(Map.of("exp", now + 61)).get("/v1/agents/" + agent).reason())
                .isEqualTo("lifetime_too_long");
        assertThat(asAgent(Map.of("iat", now - 89, "nbf", now - 89, "exp", now - 29))
                        .get("/v1/agents/" + agent)
                        .status())
                .isEqualTo(200);
        assertThat(asAgent(Map.of("iat", now - 90, "nbf", now - 90, "exp", now - 30))
                        .get("/v1/agents/" + agent)
                        .reason())
                .isEqualTo("expired");
        assertThat(asAgent(Map.of("nbf", now + 31, "iat", now + 31, "exp", now + 60))
                        .get("/v1/agents/" + agent)
                        .reason())
                .isEqualTo("not_yet_valid");
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(http.key(jwt(agent, stranger, Map.of()))
                        .get("/v1/agents/" + agent)
                        .reason())
                .isEqualTo("bad_signature");
        String unenrolled = fake.seed().agent("no-key");
        assertThat(http.key(jwt(unenrolled, keys, Map.of()))
                        .get("/v1/agents/" + unenrolled)
                        .reason())
                .isEqualTo("unknown_agent");
        fake.seed().agentSettings(agent).suspended(true).apply();
        Http.Reply suspended = asAgent(Map.of()).get("/v1/agents/" + agent);
        Replies.assertError(suspended, 403, "FORBIDDEN");
        assertThat(suspended.reason()).isEqualTo("agent_suspended");
    }

    @Test
    void reEnrollmentReplacesTheKey() throws Exception {
        enroll(agent, keys, Map.of());
        KeyPair next = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        enroll(agent, next, Map.of());
        assertThat(http.key(jwt(agent, keys, Map.of()))
                        .get("/v1/agents/" + agent)
                        .reason())
                .isEqualTo("bad_signature");
        assertThat(http.key(jwt(agent, next, Map.of()))
                        .get("/v1/agents/" + agent)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theRevocationFeedShowsAnAgentOnlyItsOwnPassports() throws Exception {
        enroll(agent, keys, Map.of());
        String other = fake.seed().agent("neighbour");
        String cursor =
                asAgent(Map.of()).get("/v1/revocations").json().path("cursor").asText();
        SeededPassport mine = fake.seed().passport(agent, "s");
        SeededPassport theirs = fake.seed().passport(other, "s");
        http.post("/v1/passports/" + theirs.jti() + "/revoke", Map.of());
        http.post("/v1/passports/" + mine.jti() + "/revoke", Map.of());
        JsonNode events =
                asAgent(Map.of()).get("/v1/revocations?since=" + cursor).json().path("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("jti").asText()).isEqualTo(mine.jti());
        Replies.assertError(asAgent(Map.of()).get("/v1/revocations/" + theirs.jti()), 404, "NOT_FOUND");
    }
}

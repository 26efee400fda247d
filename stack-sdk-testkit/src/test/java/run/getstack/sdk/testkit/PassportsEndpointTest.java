package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class PassportsEndpointTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    FakeControlPlane fake;
    Http http;
    String agent;
    String conn;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.http = new Http(fake);
        agent = fake.seed()
                .newAgent("worker")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        conn = fake.seed().connection("openai", "sk-live-secret", "chat", "embed");
        fake.seed().grant(agent, conn, "chat", "embed");
    }

    static JsonNode part(String token, int i) throws Exception {
        return Http.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[i]));
    }

    Map<String, Object> issueBody(Object... extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("agent_id", agent);
        m.put("intent", Map.of("summary", "answer questions", "services", List.of("openai")));
        // every passport belongs to a live mission of the agent (STACK live, stack_issue_passport)
        m.put("mission_ids", List.of(fake.seed().mission(agent, "answer questions", "openai")));
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return m;
    }

    @Test
    void issueReturnsA201SignedEdDsaJwtWithStacksClaims() throws Exception {
        Http.Reply r = http.post("/v1/passports/issue", issueBody("ttl_seconds", 600));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = r.json();
        String token = body.path("token").asText();
        JsonNode header = part(token, 0);
        assertThat(header.path("alg").asText()).isEqualTo("EdDSA");
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        assertThat(header.path("kid").asText()).isEqualTo(fake.currentKid());
        JsonNode c = part(token, 1);
        assertThat(c.path("iss").asText()).isEqualTo("https://api.getstack.run");
        assertThat(c.path("sub").asText()).isEqualTo(agent);
        assertThat(c.path("aud").asText()).isEqualTo("stack:passport");
        assertThat(c.path("jti").asText()).isEqualTo(body.path("jti").asText()).startsWith("pp_");
        long iat = CLOCK.instant().getEpochSecond();
        assertThat(c.path("iat").asLong()).isEqualTo(iat);
        assertThat(c.path("nbf").asLong()).isEqualTo(iat);
        // enforced: effective TTL = min(600, checkpoint interval 300)
        assertThat(c.path("exp").asLong()).isEqualTo(iat + 300);
        JsonNode stk = c.path("stk");
        assertThat(stk.path("operator_id").asText()).isEqualTo(fake.operatorId());
        assertThat(stk.path("agent_name").asText()).isEqualTo("worker");
        assertThat(stk.path("services").get(0).path("service_id").asText()).isEqualTo(conn);
        assertThat(stk.path("services").get(0).path("service_name").asText()).isEqualTo("openai");
        assertThat(stk.path("services").get(0).path("credential_ref").asText()).startsWith("cred_ref_");
        assertThat(stk.path("delegation_depth").asInt()).isZero();
        assertThat(stk.path("accountability").asText()).isEqualTo("enforced");
        assertThat(stk.path("checkpoint_interval").asInt()).isEqualTo(300);
        assertThat(stk.path("parent_jti").isNull()).isTrue();
        assertThat(stk.path("delegation_chain").size()).isZero();
        assertThat(token).doesNotContain("sk-live-secret");
        StackAssertions.assertThat(fake.auditLog())
                .hasEntryForPassport("passport.issue", body.path("jti").asText());
    }

    @Test
    void issueValidation() {
        Replies.assertError(http.post("/v1/passports/issue", Map.of()), 400, "INVALID_REQUEST", "agent_id");
        Replies.assertError(
                http.post("/v1/passports/issue", issueBody("ttl_seconds", 59)), 400, "INVALID_REQUEST", "ttl_seconds");
        Replies.assertError(
                http.post("/v1/passports/issue", issueBody("ttl_seconds", "600")),
                400,
                "INVALID_REQUEST",
                "ttl_seconds");
        Replies.assertError(
                http.post(
                        "/v1/passports/issue",
                        issueBody("intent", Map.of("summary", "s".repeat(501), "services", List.of()))),
                400,
                "INVALID_REQUEST",
                "intent.summary");
        // a mission without services gives no intent, which an enforced agent must give
        Replies.assertError(
                http.post(
                        "/v1/passports/issue",
                        Map.of(
                                "agent_id",
                                agent,
                                "mission_ids",
                                List.of(fake.seed().mission(agent, "no services")))),
                400,
                "ACCOUNTABILITY_REQUIRED");
        Replies.assertError(http.post("/v1/passports/issue", issueBody("agent_id", "agt_unknown")), 404, "NOT_FOUND");
        Http.Reply notGranted = http.post(
                "/v1/passports/issue",
                issueBody("scopes", List.of(Map.of("service_connection_id", conn, "scopes", List.of("admin")))));
        Replies.assertError(notGranted, 403, "FORBIDDEN");
        assertThat(notGranted.reason()).isEqualTo("scope_not_granted");
    }

    @Test
    void verifyAcceptsAValidTokenAndNamesEachFailure() {
        String token = fake.seed().passport(agent, "s", "openai").token();
        Http anon = new Http(fake.baseUrl(), null);
        JsonNode ok = anon.post("/v1/passports/verify", Map.of("token", token)).json();
        assertThat(ok.path("valid").asBoolean()).isTrue();
        assertThat(ok.path("claims").path("sub").asText()).isEqualTo(agent);
        assertThat(anon.post("/v1/passports/verify", Map.of("token", "garbage"))
                        .json()
                        .path("reason")
                        .asText())
                .isEqualTo("malformed");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertThat(anon.post("/v1/passports/verify", Map.of("token", forged))
                        .json()
                        .path("reason")
                        .asText())
                .isEqualTo("bad_signature");
        assertThat(anon.post("/v1/passports/verify", Map.of("token", token, "service_id", "slack"))
                        .json()
                        .path("reason")
                        .asText())
                .isEqualTo("service_not_in_scope");
        assertThat(anon.post("/v1/passports/verify", Map.of("token", token, "service_id", conn))
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        Replies.assertError(anon.post("/v1/passports/verify", Map.of("token", 5)), 400, "INVALID_REQUEST", "token");
        CLOCK.advance(Duration.ofSeconds(300));
        assertThat(anon.post("/v1/passports/verify", Map.of("token", token))
                        .json()
                        .path("reason")
                        .asText())
                .isEqualTo("expired");
    }

    @Test
    void verifyReportsRevokedAndCheckedOut() {
        SeededPassport a = fake.seed().passport(agent, "s", "openai");
        SeededPassport b = fake.seed().passport(agent, "s", "openai");
        http.post("/v1/passports/" + a.jti() + "/revoke", Map.of("reason", "test"));
        http.post("/v1/passports/" + b.jti() + "/checkout", Map.of("summary", "done"));
        assertThat(http.post("/v1/passports/verify", Map.of("token", a.token()))
                        .json()
                        .path("reason")
                        .asText())
                .isEqualTo("revoked");
        assertThat(http.post("/v1/passports/verify", Map.of("token", b.token()))
                        .json()
                        .path("reason")
                        .asText())
                .isEqualTo("checked_out");
    }

    @Test
    void refreshIssuesANewJtiInTheSameSessionAndKeepsTheOldOneValid() throws Exception {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        CLOCK.advance(Duration.ofSeconds(100));
        Http.Reply r = http.post("/v1/passports/refresh", Map.of("token", p.token()));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().path("jti").asText()).isNotEqualTo(p.jti());
        assertThat(r.json().path("session_id").asText()).isEqualTo(p.sessionId());
        assertThat(fake.isRevoked(p.jti())).isFalse();
        StackAssertions.assertThat(fake.auditLog()).hasEntry("passport.refresh");
        CLOCK.advance(Duration.ofHours(25));
        Replies.assertError(http.post("/v1/passports/refresh", Map.of("token", p.token())), 401, "PASSPORT_EXPIRED");
    }

    @Test
    void refreshOfARevokedPassportIs401AndOfBlockedAgentIs403() {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        http.post("/v1/passports/" + p.jti() + "/revoke", Map.of());
        Replies.assertError(http.post("/v1/passports/refresh", Map.of("token", p.token())), 401, "PASSPORT_REVOKED");
        Http.Reply bad = http.post("/v1/passports/refresh", Map.of("token", "a.b.c"));
        Replies.assertError(bad, 401, "UNAUTHORIZED");
        assertThat(bad.reason()).isEqualTo("malformed");
    }

    @Test
    void delegationNarrowsScopeAndEnforcesDepthAndAccountability() throws Exception {
        String[] chain = new String[6];
        for (int i = 0; i < 6; i++) {
            chain[i] = fake.seed().agent("d" + i);
        }
        fake.seed().grant(chain[0], conn, "chat", "embed");
        SeededPassport root = fake.seed().passport(chain[0], "s", "openai");
        String token = root.token();
        for (int depth = 1; depth <= 4; depth++) {
            Http.Reply r = http.post(
                    "/v1/passports/delegate",
                    Map.of(
                            "parent_token",
                            token,
                            "child_agent_id",
                            chain[depth],
                            "scopes",
                            List.of(Map.of("service_connection_id", conn, "scopes", List.of("chat")))));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            assertThat(r.json().path("delegation_depth").asInt()).isEqualTo(depth);
            assertThat(r.json().path("session_id").asText()).isEqualTo(root.sessionId());
            JsonNode stk = part(r.json().path("token").asText(), 1).path("stk");
            assertThat(stk.path("delegation_chain").size()).isEqualTo(depth);
            assertThat(stk.path("services").get(0).path("scopes")).hasSize(1);
            token = r.json().path("token").asText();
        }
        Replies.assertError(
                http.post(
                        "/v1/passports/delegate",
                        Map.of(
                                "parent_token",
                                token,
                                "child_agent_id",
                                chain[5],
                                "scopes",
                                List.of(Map.of("service_connection_id", conn, "scopes", List.of("chat"))))),
                400,
                "DELEGATION_DEPTH_EXCEEDED");
        Replies.assertError(
                http.post(
                        "/v1/passports/delegate",
                        Map.of(
                                "parent_token", root.token(),
                                "child_agent_id", chain[1],
                                "scopes",
                                        List.of(Map.of(
                                                "service_connection_id", conn, "scopes", List.of("chat", "admin"))))),
                400,
                "SCOPE_ESCALATION");
        Replies.assertError(
                http.post(
                        "/v1/passports/delegate",
                        Map.of(
                                "parent_token", root.token(),
                                "child_agent_id", chain[1],
                                "scopes", List.of(),
                                "intent", Map.of("summary", "x", "services", List.of("slack")))),
                400,
                "SCOPE_ESCALATION");
        String weak = fake.seed().agent("weak", "standard");
        Replies.assertError(
                http.post(
                        "/v1/passports/delegate",
                        Map.of("parent_token", root.token(), "child_agent_id", weak, "scopes", List.of())),
                400,
                "DELEGATION_ACCOUNTABILITY_VIOLATION");
    }

    @Test
    void revokeCascadesBreadthFirstAndIsIdempotent() {
        String c1 = fake.seed().agent("c-one", "enforced"); // as accountable as the enforced parent
        String c2 = fake.seed().agent("c-two", "enforced");
        SeededPassport root = fake.seed().passport(agent, "s", "openai");
        JsonNode child = http.post(
                        "/v1/passports/delegate",
                        Map.of("parent_token", root.token(), "child_agent_id", c1, "scopes", List.of()))
                .json();
        JsonNode grandchild = http.post(
                        "/v1/passports/delegate",
                        Map.of(
                                "parent_passport_token",
                                child.path("token").asText(),
                                "child_agent_id",
                                c2,
                                "scopes",
                                List.of()))
                .json();
        Http.Reply r = http.post("/v1/passports/" + root.jti() + "/revoke", Map.of("reason", "compromised"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("cascaded"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        child.path("jti").asText(), grandchild.path("jti").asText());
        assertThat(fake.isRevoked(grandchild.path("jti").asText())).isTrue();
        Http.Reply again = http.post("/v1/passports/" + root.jti() + "/revoke", Map.of());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("cascaded").size()).isZero();
        Replies.assertError(http.post("/v1/passports/pp_unknown/revoke", Map.of()), 404, "NOT_FOUND");
        Replies.assertError(
                http.post("/v1/passports/" + root.jti() + "/revoke", Map.of("reason", "r".repeat(501))),
                400,
                "INVALID_REQUEST",
                "reason");
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("passport.revoke_cascade", 2);
    }

    @Test
    void revokeAgentSessionAndAll() {
        SeededPassport a = fake.seed().passport(agent, "s", "openai");
        SeededPassport b = fake.seed().passport(agent, "s", "openai");
        Http.Reply r = http.post("/v1/passports/revoke-agent", Map.of("agent_id", agent));
        assertThat(r.json().path("revoked_count").asInt()).isEqualTo(2);
        assertThat(r.json().path("cascaded_count").asInt()).isZero();
        assertThat(fake.isRevoked(a.jti()) && fake.isRevoked(b.jti())).isTrue();
        SeededPassport c = fake.seed().passport(agent, "s", "openai");
        assertThat(http.post("/v1/passports/revoke-session", Map.of("session_id", c.sessionId()))
                        .json()
                        .path("revoked_count")
                        .asInt())
                .isEqualTo(1);
        Replies.assertError(http.post("/v1/passports/revoke-all", Map.of()), 400, "INVALID_REQUEST", "confirm");
        fake.seed().passport(agent, "s", "openai");
        assertThat(http.post("/v1/passports/revoke-all", Map.of("confirm", true))
                        .json()
                        .path("revoked_count")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void activeListsOnlyLivePassportsWithFilters() {
        SeededPassport a = fake.seed().passport(agent, "s", "openai");
        SeededPassport b = fake.seed().passport(agent, "s", "openai");
        http.post("/v1/passports/" + b.jti() + "/revoke", Map.of());
        JsonNode list =
                http.get("/v1/passports/active?agent_id=" + agent).json().path("passports");
        assertThat(list).extracting(n -> n.path("jti").asText()).containsExactly(a.jti());
        assertThat(http.get("/v1/passports/active?session_id=ses_none")
                        .json()
                        .path("passports")
                        .size())
                .isZero();
        CLOCK.advance(Duration.ofSeconds(301));
        assertThat(http.get("/v1/passports/active").json().path("passports").size())
                .isZero();
    }

    @Test
    void checkpointExtendsEnforcedExpiryAndReturnsAResignedToken() throws Exception {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        CLOCK.advance(Duration.ofSeconds(200));
        Http.Reply r = http.post(
                "/v1/passports/" + p.jti() + "/checkpoint",
                Map.of("services_used", List.of("openai"), "actions_count", 3, "summary", "progress"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("accepted").asBoolean()).isTrue();
        assertThat(r.json().path("signals").size()).isZero();
        String token = r.json().path("token").asText();
        assertThat(part(token, 1).path("jti").asText()).isEqualTo(p.jti());
        assertThat(part(token, 1).path("exp").asLong())
                .isEqualTo(CLOCK.instant().getEpochSecond() + 300);
        CLOCK.advance(Duration.ofSeconds(200));
        // past the original exp, still valid server-side
        assertThat(http.post("/v1/passports/verify", Map.of("token", p.token()))
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        StackAssertions.assertThat(fake.auditLog()).hasEntry("passport.checkpoint");
    }

    @Test
    void checkpointValidationAndStandardMode() {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        Replies.assertError(
                http.post("/v1/passports/" + p.jti() + "/checkpoint", Map.of("actions_count", 1, "summary", "s")),
                400,
                "INVALID_REQUEST",
                "services_used");
        Replies.assertError(
                http.post(
                        "/v1/passports/" + p.jti() + "/checkpoint",
                        Map.of("services_used", List.of(), "actions_count", -1, "summary", "s")),
                400,
                "INVALID_REQUEST",
                "actions_count");
        String std = fake.seed().agent("std", "standard");
        SeededPassport sp = fake.seed().passport(std, "s");
        Replies.assertError(
                http.post(
                        "/v1/passports/" + sp.jti() + "/checkpoint",
                        Map.of("services_used", List.of(), "actions_count", 0, "summary", "s")),
                404,
                "CHECKPOINT_NOT_AVAILABLE");
        CLOCK.advance(Duration.ofSeconds(300));
        Replies.assertError(
                http.post(
                        "/v1/passports/" + p.jti() + "/checkpoint",
                        Map.of("services_used", List.of(), "actions_count", 0, "summary", "s")),
                401,
                "PASSPORT_EXPIRED");
    }

    @Test
    void checkoutReviewsAndIsTerminal() {
        SeededPassport clean = fake.seed().passport(agent, "s", "openai");
        Http.Reply r = http.post("/v1/passports/" + clean.jti() + "/checkout", Map.of("summary", "done"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("clean");
        Replies.assertError(
                http.post("/v1/passports/" + clean.jti() + "/checkout", Map.of("summary", "again")),
                403,
                "PASSPORT_CHECKED_OUT");
        SeededPassport flagged = fake.seed().passport(agent, "s", "openai");
        assertThat(http.post(
                                "/v1/passports/" + flagged.jti() + "/checkout",
                                Map.of("summary", "done", "services_used", List.of("slack")))
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("flagged");
        Replies.assertError(http.post("/v1/passports/pp_nope/checkout", Map.of("summary", "x")), 404, "NOT_FOUND");
        Replies.assertError(
                http.post("/v1/passports/" + flagged.jti() + "/checkout", Map.of()), 400, "INVALID_REQUEST", "summary");
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("passport.checkout", 2);
    }

    @Test
    void blockedAgentCannotGetPassports() {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        fake.detectors().mode(Signal.POST_CHECKOUT_ACCESS, DetectorMode.BLOCK);
        http.post("/v1/passports/" + p.jti() + "/checkout", Map.of("summary", "done"));
        http.passport(p.token()).get("/v1/credentials/openai");
        Replies.assertError(http.post("/v1/passports/issue", issueBody()), 403, "PASSPORT_BLOCKED");
        assertThat(new String(Base64.getUrlDecoder().decode(p.token().split("\\.")[1]), StandardCharsets.UTF_8))
                .contains(agent);
    }
}

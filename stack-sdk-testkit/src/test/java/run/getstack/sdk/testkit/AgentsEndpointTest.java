package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class AgentsEndpointTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @Test
    void registerReturns201WithHostedDefaultsAndIsAudited(FakeControlPlane fake) {
        Http.Reply r = new Http(fake).post("/v1/agents/register", Map.of("name", "research-bot", "description", "d"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode a = r.json();
        assertThat(a.path("id").asText()).matches("agt_[a-z0-9]{24}");
        assertThat(a.path("operator_id").asText()).isEqualTo(fake.operatorId());
        assertThat(a.path("status").asText()).isEqualTo("active");
        assertThat(a.path("accountability_mode").asText()).isEqualTo("logged"); // hosted STACK's base posture
        assertThat(a.path("on_warning").asText()).isEqualTo("notify");
        assertThat(a.path("on_critical").asText()).isEqualTo("block");
        assertThat(a.path("credential_access").asText()).isEqualTo("proxy_only");
        assertThat(a.path("passport_blocked").asBoolean()).isFalse();
        assertThat(a.path("allowed_connections").isArray()).isTrue();
        assertThat(a.path("created_at").asText()).isEqualTo("2026-01-01T00:00:00.000Z");
        StackAssertions.assertThat(fake.auditLog()).hasEntry("agent.register");
    }

    @Test
    void registerValidatesEveryField(FakeControlPlane fake) {
        Http http = new Http(fake);
        Replies.assertError(http.post("/v1/agents/register", Map.of()), 400, "INVALID_REQUEST", "name");
        Replies.assertError(http.post("/v1/agents/register", Map.of("name", 42)), 400, "INVALID_REQUEST", "name");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "Bad_Name")), 400, "INVALID_REQUEST", "name");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "a".repeat(65))), 400, "INVALID_REQUEST", "name");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "ok-name", "description", "d".repeat(257))),
                400,
                "INVALID_REQUEST",
                "description");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "ok-name", "accountability_mode", "strict")),
                400,
                "INVALID_REQUEST",
                "accountability_mode");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "ok-name", "on_warning", true)),
                400,
                "INVALID_REQUEST",
                "on_warning");
    }

    @Test
    void duplicateNameIs409NameTaken(FakeControlPlane fake) {
        Http http = new Http(fake);
        http.post("/v1/agents/register", Map.of("name", "dup"));
        Http.Reply r = http.post("/v1/agents/register", Map.of("name", "dup"));
        Replies.assertError(r, 409, "CONFLICT", null);
        assertThat(r.reason()).isEqualTo("name_taken");
    }

    @Test
    void listGetAndUnknownId(FakeControlPlane fake) {
        String a = fake.seed().agent("first");
        CLOCK.advance(java.time.Duration.ofSeconds(1));
        String b = fake.seed().agent("second");
        Http http = new Http(fake);
        JsonNode list = http.get("/v1/agents").json().path("agents");
        assertThat(list).extracting(n -> n.path("id").asText()).containsExactly(a, b);
        assertThat(http.get("/v1/agents/" + a).json().path("name").asText()).isEqualTo("first");
        Replies.assertError(http.get("/v1/agents/agt_doesnotexist000000000000"), 404, "NOT_FOUND", null);
    }

    @Test
    void patchUpdatesFieldsAndValidates(FakeControlPlane fake) {
        String a = fake.seed().agent("patchy");
        Http http = new Http(fake);
        Http.Reply r = http.patch("/v1/agents/" + a, Map.of("on_warning", "block", "accountability_mode", "logged"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("on_warning").asText()).isEqualTo("block");
        assertThat(r.json().path("accountability_mode").asText()).isEqualTo("logged");
        Replies.assertError(http.patch("/v1/agents/" + a, Map.of("status", "gone")), 400, "INVALID_REQUEST", "status");
        Replies.assertError(http.patch("/v1/agents/agt_nope", Map.of()), 404, "NOT_FOUND", null);
    }

    @Test
    void suspendingRevokesLivePassportsAndBlocksIssue(FakeControlPlane fake) {
        String a = fake.seed().agent("sleepy", "standard");
        SeededPassport p = fake.seed().passport(a, "x");
        Http http = new Http(fake);
        http.patch("/v1/agents/" + a, Map.of("status", "suspended"));
        assertThat(fake.isRevoked(p.jti())).isTrue();
        Http.Reply r = http.post(
                "/v1/passports/issue",
                Map.of("agent_id", a, "mission_ids", List.of(fake.seed().mission(a, "x"))));
        Replies.assertError(r, 403, "FORBIDDEN", null);
        assertThat(r.reason()).isEqualTo("agent_suspended");
    }

    @Test
    void deleteRevokesPassportsIncludingDelegatedChildren(FakeControlPlane fake) {
        String parent = fake.seed().agent("parent-bot", "standard");
        String child = fake.seed().agent("child-bot", "standard");
        SeededPassport p = fake.seed().passport(parent, "x");
        Http http = new Http(fake);
        String childJti = http.post(
                        "/v1/passports/delegate",
                        Map.of("parent_token", p.token(), "child_agent_id", child, "scopes", List.of()))
                .json()
                .path("jti")
                .asText();
        Http.Reply r = http.delete("/v1/agents/" + parent);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("deleted").asBoolean()).isTrue();
        assertThat(r.json().path("revoked_count").asInt()).isEqualTo(2);
        assertThat(fake.isRevoked(childJti)).isTrue();
        Replies.assertError(http.get("/v1/agents/" + parent), 404, "NOT_FOUND", null);
        StackAssertions.assertThat(fake.auditLog())
                .hasEntry("passport.revoke_cascade")
                .hasEntry("agent.delete");
    }

    @Test
    void grantsCreateReplaceAndDeleteWithRevocation(FakeControlPlane fake) {
        String a = fake.seed().agent("granted", "standard");
        String conn = fake.seed().connection("openai", "sk-1", "chat", "embed");
        Http http = new Http(fake);
        Http.Reply created = http.post(
                "/v1/agents/" + a + "/grants", Map.of("service_connection_id", conn, "scopes", List.of("chat")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("provider").asText()).isEqualTo("openai");
        Http.Reply replaced = http.post(
                "/v1/agents/" + a + "/grants", Map.of("service_connection_id", conn, "scopes", List.of("embed")));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(http.get("/v1/agents/" + a)
                        .json()
                        .path("allowed_connections")
                        .get(0)
                        .asText())
                .isEqualTo(conn);
        Replies.assertError(
                http.post("/v1/agents/" + a + "/grants", Map.of("service_connection_id", conn, "scopes", List.of())),
                400,
                "INVALID_REQUEST",
                "scopes");
        Replies.assertError(
                http.post(
                        "/v1/agents/" + a + "/grants",
                        Map.of("service_connection_id", "svc_conn_nope", "scopes", List.of("x"))),
                404,
                "NOT_FOUND",
                null);
        SeededPassport p = fake.seed().passport(a, "x");
        assertThat(http.delete("/v1/agents/" + a + "/grants/" + conn).status()).isEqualTo(204);
        assertThat(fake.isRevoked(p.jti())).isTrue();
        assertThat(http.delete("/v1/agents/" + a + "/grants/" + conn).status()).isEqualTo(204);
    }

    @Test
    void unblockClearsThePassportBlockedFlag(FakeControlPlane fake) {
        String a = fake.seed().agent("blocky", "standard");
        SeededPassport p = fake.seed().passport(a, "x");
        Http http = new Http(fake);
        http.post("/v1/passports/" + p.jti() + "/checkout", Map.of("summary", "done"));
        fake.detectors().mode(Signal.POST_CHECKOUT_ACCESS, DetectorMode.BLOCK);
        http.post(
                "/v1/passports/" + p.jti() + "/checkpoint",
                Map.of("services_used", List.of(), "actions_count", 0, "summary", "s"));
        assertThat(fake.isPassportBlocked(a)).isTrue();
        Http.Reply r = http.post("/v1/agents/" + a + "/unblock", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("passport_blocked").asBoolean()).isFalse();
    }
}

package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The missions resource of the fake (wire protocol §10.4), over HTTP with the operator key. */
class MissionsEndpointTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed()
                .newAgent("miner")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        String conn = fake.seed().connection("openai", "sk-mission-secret", "chat");
        fake.seed().grant(agent, conn, "chat");
    }

    private JsonNode start(Map<String, Object> limits) {
        Http.Reply r = http.post(
                "/v1/missions",
                Map.of("agent_id", agent, "intent_summary", "mine", "services", List.of("openai"), "limits", limits));
        return Replies.ok(r, 201);
    }

    private Http.Reply fetch(String token) {
        return http.passport(token).get("/v1/credentials/openai");
    }

    @Test
    void startOpensTheMissionAndIssuesItsPassportBoundToIt() throws Exception {
        JsonNode m = start(Map.of());
        String token = m.path("passport").path("token").asText();
        assertThat(m.path("mission_id").asText()).startsWith("ms_");
        assertThat(m.path("status").asText()).isEqualTo("active");
        assertThat(PassportsEndpointTest.part(token, 1)
                        .path("stk")
                        .path("mission_id")
                        .asText())
                .isEqualTo(m.path("mission_id").asText());
        JsonNode verified = new Http(fake.baseUrl(), null)
                .post("/v1/passports/verify", Map.of("token", token))
                .json();
        assertThat(verified.path("agent_id").asText()).isEqualTo(agent);
        assertThat(verified.path("mission_id").asText())
                .isEqualTo(m.path("mission_id").asText());
        assertThat(verified.path("scopes").get(0).path("service_name").asText()).isEqualTo("openai");
        JsonNode got = http.get("/v1/missions/" + m.path("mission_id").asText()).json();
        assertThat(got.path("passport").has("token"))
                .as("the token is only in the start")
                .isFalse();
    }

    @Test
    void issueNeedsOneLiveMissionOfTheAgent() {
        String other = fake.seed().agent("other-miner");
        String theirs = fake.seed().mission(other, "theirs", "openai");
        Http.Reply notAssigned =
                http.post("/v1/passports/issue", Map.of("agent_id", agent, "mission_ids", List.of(theirs)));
        assertThat(notAssigned.code()).isEqualTo("MISSION_REQUIRED");
        assertThat(notAssigned.reason()).isEqualTo("not_assigned");
        String mine = fake.seed().mission(agent, "mine", "openai");
        assertThat(http.post("/v1/passports/issue", Map.of("agent_id", agent, "mission_ids", List.of(mine, theirs)))
                        .reason())
                .isEqualTo("too_many");
        http.post("/v1/missions/" + mine + "/complete", Map.of());
        Http.Reply ended = http.post("/v1/passports/issue", Map.of("agent_id", agent, "mission_ids", List.of(mine)));
        assertThat(ended.status()).isEqualTo(400);
        assertThat(ended.reason()).isEqualTo("not_live");
        assertThat(http.post("/v1/missions/" + mine + "/renew", Map.of()).code())
                .isEqualTo("MISSION_ENDED");
    }

    @Test
    void aPerServiceCapPausesContinueRepausesAndRaiseNeedsAHigherLimit() {
        JsonNode m = start(Map.of("max_actions_per_service", Map.of("openai", 1)));
        String id = m.path("mission_id").asText();
        String token = m.path("passport").path("token").asText();
        assertThat(fetch(token).status()).isEqualTo(200);
        Http.Reply paused = fetch(token);
        Replies.assertError(paused, 409, "MISSION_PAUSED");
        assertThat(Replies.detail(paused, "paused_service")).isEqualTo("openai");
        assertThat(fetch(token).code()).as("refused at once while paused").isEqualTo("MISSION_PAUSED");
        assertThat(fake.owner().mission(id).actions()).isEqualTo(1);

        assertThat(http.post("/v1/missions/" + id + "/review", Map.of("decision", "raise", "limit", 1))
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/v1/missions/" + id + "/review", Map.of("decision", "continue", "limit", 5))
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/v1/missions/" + id + "/review", Map.of("decision", "continue"))
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("active");
        assertThat(fetch(token).code()).as("a full cap pauses it again").isEqualTo("MISSION_PAUSED");
        fake.owner().raise(id, 2);
        assertThat(fetch(token).status()).isEqualTo(200);
        assertThat(http.post("/v1/missions/" + id + "/review", Map.of("decision", "close"))
                        .code())
                .isEqualTo("MISSION_NOT_PAUSED");
        assertThatThrownBy(() -> fake.owner().close(id)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void revokeEndsItsPassportsAsOneMissionFeedEventAndASecondRevokeDoesNotTransition() {
        JsonNode m = start(Map.of());
        String id = m.path("mission_id").asText();
        String jti = m.path("passport").path("jti").asText();
        String cursor = http.get("/v1/revocations").json().path("cursor").asText();

        JsonNode first = http.post(
                        "/v1/missions/" + id + "/revoke", Map.of("reason", "adversarial", "notes", "exfiltration"))
                .json();
        JsonNode second = http.post("/v1/missions/" + id + "/revoke", Map.of("reason", "operator_initiated_clean"))
                .json();

        assertThat(first.path("transitioned").asBoolean()).isTrue();
        assertThat(first.path("revoked_jtis").get(0).asText()).isEqualTo(jti);
        assertThat(second.path("transitioned").asBoolean()).isFalse();
        assertThat(second.path("end_reason").asText()).isEqualTo("adversarial");
        assertThat(http.post("/v1/missions/" + id + "/revoke", Map.of("reason", "bored"))
                        .status())
                .isEqualTo(400);
        JsonNode events = http.get("/v1/revocations?since=" + cursor).json().path("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("mission");
        assertThat(events.get(0).path("mission_id").asText()).isEqualTo(id);
        assertThat(fetch(m.path("passport").path("token").asText()).code()).isEqualTo("PASSPORT_REVOKED");
    }

    @Test
    void listPagesNewestFirstByStatus() {
        for (int i = 0; i < 3; i++) {
            start(Map.of());
            CLOCK.advance(java.time.Duration.ofSeconds(1));
        }
        String done = fake.seed().mission(agent, "done");
        http.post("/v1/missions/" + done + "/complete", Map.of());
        JsonNode page1 = http.get("/v1/missions?status=active&limit=2").json();
        JsonNode page2 = http.get("/v1/missions?status=active&limit=2&page=2").json();
        assertThat(page1.path("missions")).hasSize(2);
        assertThat(page1.path("has_more").asBoolean()).isTrue();
        assertThat(page2.path("missions")).hasSize(1);
        assertThat(page2.path("has_more").asBoolean()).isFalse();
        assertThat(page1.path("missions").get(0).path("started_at").asText())
                .isGreaterThan(page1.path("missions").get(1).path("started_at").asText());
        assertThat(http.get("/v1/missions?status=completed").json().path("missions"))
                .hasSize(1);
        assertThat(http.get("/v1/missions?status=done").status()).isEqualTo(400);
    }

    private Http.Reply startWithSchema(Object schema) {
        return http.post(
                "/v1/missions",
                Map.of(
                        "agent_id",
                        agent,
                        "intent_summary",
                        "report",
                        "services",
                        List.of("openai"),
                        "output_schema",
                        schema));
    }

    private static List<String> issues(Http.Reply r, String field) {
        List<String> out = new ArrayList<>();
        r.json()
                .path("error")
                .path("details")
                .path("issues")
                .forEach(i -> out.add(i.path(field).asText()));
        return out;
    }

    @Test
    void outputRefusedByTheMissionsSchemaNamesEachPathAndKeywordAndLeavesItLive() {
        Http.Reply started = startWithSchema(Map.of(
                "type",
                "object",
                "required",
                List.of("n", "ticket"),
                "properties",
                Map.of("n", Map.of("type", "integer"), "ticket", Map.of("pattern", "^T-[0-9]+$")),
                "additionalProperties",
                false));
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        String id = started.json().path("mission_id").asText();

        Http.Reply refused = http.post(
                "/v1/missions/" + id + "/complete",
                Map.of("output", Map.of("n", "three", "ticket", "nope", "extra", true)));
        Replies.assertError(refused, 400, "OUTPUT_SCHEMA_VIOLATION");
        assertThat(issues(refused, "path")).contains("output.n", "output.ticket", "output");
        assertThat(issues(refused, "keyword")).contains("type", "pattern", "additionalProperties");
        assertThat(issues(refused, "message")).allSatisfy(m -> assertThat(m).isNotBlank());
        Http.Reply root = http.post("/v1/missions/" + id + "/complete", Map.of("output", List.of(1)));
        assertThat(issues(root, "path")).containsExactly("output");
        assertThat(http.get("/v1/missions/" + id).json().path("status").asText())
                .isEqualTo("active");

        Http.Reply done =
                http.post("/v1/missions/" + id + "/complete", Map.of("output", Map.of("n", 3, "ticket", "T-42")));
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(done.json().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aMissionWhoseOutputSchemaIsNotAJsonSchemaOrReachesOutIsRefusedAtOpen() throws Exception {
        int before = http.get("/v1/missions").json().path("missions").size();
        Http.Reply bad = startWithSchema(Map.of("type", "no-such-type"));
        Replies.assertError(bad, 400, "INVALID_REQUEST");
        assertThat(issues(bad, "path"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("output_schema"));
        assertThat(startWithSchema("x").status()).isEqualTo(400);
        try (MockWebServer schemaHost = new MockWebServer()) {
            schemaHost.enqueue(new MockResponse.Builder()
                    .code(200)
                    .addHeader("Content-Type", "application/schema+json")
                    .body("{\"type\":\"object\"}")
                    .build());
            schemaHost.start();
            Http.Reply remote = startWithSchema(
                    Map.of("$ref", schemaHost.url("/remote.json").toString()));
            assertThat(remote.status()).as(remote.text()).isEqualTo(400);
            assertThat(issues(remote, "path")).containsExactly("output_schema");
            assertThat(schemaHost.getRequestCount())
                    .as("a remote $ref is never fetched")
                    .isZero();
        }
        assertThat(http.get("/v1/missions").json().path("missions")).hasSize(before);
    }
}

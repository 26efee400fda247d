package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The intents and governance approvals of the fake (wire protocol §14), over HTTP. */
class IntentsEndpointTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    String agent;
    String token;
    String conn;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("asker");
        conn = fake.seed().connection("slack", "xoxb-endpoint-secret", "chat:write");
        fake.seed().grant(agent, conn, "chat:write");
        Http.Reply m = http.post(
                "/v1/missions", Map.of("agent_id", agent, "intent_summary", "post", "services", List.of("slack")));
        assertThat(m.status()).as(m.text()).isEqualTo(201);
        token = m.json().path("passport").path("token").asText();
    }

    private Map<String, Object> claim(String target) {
        Map<String, Object> c = new HashMap<>();
        c.put("type", "intent_claim");
        c.put("intent_type", "http_call");
        c.put("agent_id", agent);
        c.put("named_intent", "post_update");
        c.put("target", target);
        c.put("action", "POST");
        c.put("reason", "weekly");
        c.put("submitted_at", "2026-11-30T12:00:00.000Z");
        return c;
    }

    @Test
    void aSubmittedIntentIsPendingWithASimulationAndItsRoutesAreStacksInferredOnes() {
        Http.Reply r = http.passport(token).post("/v1/intents", Map.of("intent", claim("slack")));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode a = r.json();
        assertThat(a.path("approval_id").asText()).startsWith("ia_");
        assertThat(a.path("status").asText()).isEqualTo("pending");
        assertThat(a.path("simulation").path("verdict").asText()).isEqualTo("allow");
        assertThat(fake.routes())
                .contains(
                        new FakeRoute("POST", "/v1/intents", RouteOrigin.STACK_LIVE_INFERRED),
                        new FakeRoute("GET", "/v1/intent-approvals/{id}", RouteOrigin.STACK_LIVE_INFERRED),
                        new FakeRoute("POST", "/v1/intent-approvals/{id}/decide", RouteOrigin.STACK_LIVE_INFERRED),
                        new FakeRoute("GET", "/v1/approvals", RouteOrigin.STACK_LIVE_INFERRED),
                        new FakeRoute("GET", "/v1/approvals/{id}", RouteOrigin.STACK_LIVE_INFERRED));

        JsonNode outside = http.passport(token)
                .post("/v1/intents", Map.of("intent", claim("stripe"), "skip_simulation", false))
                .json();
        assertThat(outside.path("simulation").path("findings").get(0).asText()).isEqualTo("target_not_in_passport");
        JsonNode skipped = http.passport(token)
                .post("/v1/intents", Map.of("intent", claim("slack"), "skip_simulation", true))
                .json();
        assertThat(skipped.path("simulation").isNull()).isTrue();
    }

    @Test
    void theClaimIsValidatedAndTheLifetimeIsBounded() {
        Map<String, Object> c = claim("slack");
        c.remove("reason");
        assertThat(http.passport(token).post("/v1/intents", Map.of("intent", c)).status())
                .isEqualTo(400);
        Map<String, Object> other = claim("slack");
        other.put("agent_id", "agt_someoneelse");
        assertThat(http.passport(token)
                        .post("/v1/intents", Map.of("intent", other))
                        .status())
                .isEqualTo(400);
        assertThat(http.passport(token)
                        .post("/v1/intents", Map.of("intent", claim("slack"), "expires_in_seconds", 86_401))
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/v1/intents", Map.of("intent", claim("slack"))).reason())
                .isEqualTo("passport_required");
    }

    @Test
    void theDecideRouteRejectsRevokesAndBlocksAndAnApprovalLapsesOnTheClock() throws Exception {
        String id = http.passport(token)
                .post("/v1/intents", Map.of("intent", claim("slack"), "expires_in_seconds", 60))
                .json()
                .path("approval_id")
                .asText();
        String jti = PassportsEndpointTest.part(token, 1).path("jti").asText();
        Http.Reply d =
                http.post("/v1/intent-approvals/" + id + "/decide", Map.of("decision", "reject", "block_future", true));
        assertThat(d.status()).as(d.text()).isEqualTo(200);
        assertThat(d.json().path("status").asText()).isEqualTo("rejected");
        assertThat(fake.isRevoked(jti)).isTrue();
        assertThat(fake.isPassportBlocked(agent)).isTrue();
        assertThat(http.post("/v1/intent-approvals/" + id + "/decide", Map.of("decision", "approve"))
                        .reason())
                .isEqualTo("not_pending");
        assertThat(http.get("/v1/intent-approvals/" + id + "?review=true")
                        .json()
                        .path("intent")
                        .path("reason")
                        .asText())
                .isEqualTo("weekly");
        assertThat(new Http(fake.baseUrl(), fake.seed().operator("other").apiKey())
                        .get("/v1/intent-approvals/" + id)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aPendingApprovalExpires() {
        String id = http.passport(token)
                .post("/v1/intents", Map.of("intent", claim("slack"), "expires_in_seconds", 60))
                .json()
                .path("approval_id")
                .asText();
        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(fake.owner().intentStatus(id)).isEqualTo("pending");
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(http.get("/v1/intent-approvals/" + id).json().path("status").asText())
                .isEqualTo("expired");
    }

    @Test
    void governanceApprovalsAreListedNewestFirstAndLapseAfter24Hours() {
        fake.seed().governanceApprovalsRequired(true);
        String other = fake.seed().agent("other-agent");
        String conn = fake.seed().connection("github", "ghp-endpoint-secret", "repo");
        Http.Reply first = http.post(
                "/v1/agents/" + other + "/grants", Map.of("service_connection_id", conn, "scopes", List.of("repo")));
        Replies.assertError(first, 403, "GOVERNANCE_APPROVAL_REQUIRED");
        String a1 = Replies.detail(first, "approval_id");
        CLOCK.advance(Duration.ofSeconds(1));
        String a2 = http.post(
                        "/v1/agents/" + other + "/grants",
                        Map.of("service_connection_id", conn, "scopes", List.of("repo")))
                .json()
                .path("error")
                .path("details")
                .path("approval_id")
                .asText();
        JsonNode list = http.get("/v1/approvals?limit=5").json().path("approvals");
        assertThat(list.get(0).path("id").asText()).isEqualTo(a2);
        assertThat(list.get(1).path("id").asText()).isEqualTo(a1);
        assertThat(list.get(0).has("approval_url")).isFalse();
        assertThat(http.get("/v1/approvals?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/v1/approvals/" + a1).json().path("approval_url").asText())
                .endsWith(a1);
        CLOCK.advance(Duration.ofHours(24).minusSeconds(1)); // a1 is 24 h old, a2 one second younger
        assertThat(http.get("/v1/approvals/" + a1)
                        .json()
                        .path("approval")
                        .path("status")
                        .asText())
                .isEqualTo("expired");
        assertThat(http.get("/v1/approvals?status=expired")
                        .json()
                        .path("approvals")
                        .size())
                .isEqualTo(1);
        assertThat(fake.owner().governanceStatus(a2)).isEqualTo("pending");
        // with the switch off (the default) nothing is gated
        fake.seed().governanceApprovalsRequired(false);
        assertThat(http.post(
                                "/v1/agents/" + other + "/grants",
                                Map.of("service_connection_id", conn, "scopes", List.of("repo")))
                        .status())
                .isEqualTo(201);
    }

    /** An enforced agent's passport token, for the skill checks. */
    private String enforcedToken(String enforced) {
        fake.seed().grant(enforced, conn, "chat:write");
        Http.Reply m = http.post(
                "/v1/missions",
                Map.of("agent_id", enforced, "intent_summary", "summarise", "services", List.of("slack")));
        assertThat(m.status()).as(m.text()).isEqualTo(201);
        return m.json().path("passport").path("token").asText();
    }

    private String approvedIntent(String passportToken, String agentId, String intentType, String target) {
        Map<String, Object> c = claim(target);
        c.put("agent_id", agentId);
        c.put("intent_type", intentType);
        c.put("action", "invoke");
        Http.Reply r = http.passport(passportToken).post("/v1/intents", Map.of("intent", c));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String id = r.json().path("approval_id").asText();
        fake.owner().approveIntent(id);
        return id;
    }

    @Test
    void anEnforcedPassportsSkillInvocationNeedsAnApprovedSkillIntentForThatSkillConsumedByTheCall() {
        fake.seed().intentApprovalsRequired(true);
        String enforced = fake.seed().agent("skill-user", "enforced");
        String t = enforcedToken(enforced);
        String skill = fake.skill("summarise").id();
        String other = fake.skill("translate").id();
        String path = "/v1/skills/" + skill + "/invoke";

        Http.Reply none = http.passport(t).post(path, Map.of("input", Map.of()));
        assertThat(none.status()).as(none.text()).isEqualTo(403);
        assertThat(none.reason()).isEqualTo("intent_approval_required");

        // a proxy-call approval naming the skill, and a skill approval naming another skill, do not fit
        String httpCall = approvedIntent(t, enforced, "http_call", skill);
        Http.Reply wrongType = http.passport(t).post(path, Map.of("input", Map.of(), "approval_id", httpCall));
        assertThat(wrongType.reason()).isEqualTo("intent_approval_mismatch");
        String otherSkill = approvedIntent(t, enforced, "skill_invocation", other);
        assertThat(http.passport(t)
                        .post(path, Map.of("input", Map.of(), "approval_id", otherSkill))
                        .reason())
                .isEqualTo("intent_approval_mismatch");
        assertThat(fake.owner().intentStatus(httpCall)).isEqualTo("approved");
        assertThat(fake.owner().intentStatus(otherSkill)).isEqualTo("approved");

        String ok = approvedIntent(t, enforced, "skill_invocation", skill);
        Http.Reply done = http.passport(t).post(path, Map.of("input", Map.of(), "approval_id", ok));
        assertThat(done.status()).as(done.text()).isEqualTo(202);
        assertThat(fake.owner().intentStatus(ok)).isEqualTo("consumed");
        Http.Reply again = http.passport(t).post(path, Map.of("input", Map.of(), "approval_id", ok));
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.reason()).isEqualTo("intent_approval_consumed");
        assertThat(http.passport(t)
                        .post(path, Map.of("input", Map.of(), "approval_id", "ia_unknown"))
                        .reason())
                .isEqualTo("intent_approval_unknown");
    }

    @Test
    void aSkillCallRefusedForAnotherReasonKeepsItsApprovalAndUnenforcedOrSwitchedOffCallsNeedNone() {
        fake.seed().intentApprovalsRequired(true);
        String enforced = fake.seed().agent("paying-user", "enforced");
        String t = enforcedToken(enforced);
        String paid = fake.skill("paid").priceCents(500).id();
        String a = approvedIntent(t, enforced, "skill_invocation", paid);
        Http.Reply broke = http.passport(t).post("/v1/skills/" + paid + "/invoke", Map.of("approval_id", a));
        assertThat(broke.code()).isEqualTo("INSUFFICIENT_CREDITS");
        assertThat(fake.owner().intentStatus(a)).isEqualTo("approved");
        fake.walletCents(500);
        assertThat(http.passport(t)
                        .post("/v1/skills/" + paid + "/invoke", Map.of("approval_id", a))
                        .status())
                .isEqualTo(202);
        assertThat(fake.owner().intentStatus(a)).isEqualTo("consumed");

        String free = fake.skill("free").id();
        // the seeded agent of this class is not enforced: no approval needed
        assertThat(http.passport(token)
                        .post("/v1/skills/" + free + "/invoke", Map.of())
                        .status())
                .isEqualTo(202);
        fake.seed().intentApprovalsRequired(false);
        assertThat(http.passport(t)
                        .post("/v1/skills/" + free + "/invoke", Map.of())
                        .status())
                .isEqualTo(202);
    }

    @Test
    void approvalsNameTheirPassportUnlessSeededNotToAndARejectionRevokesItEitherWay() throws Exception {
        String jti = PassportsEndpointTest.part(token, 1).path("jti").asText();
        String named = http.passport(token)
                .post("/v1/intents", Map.of("intent", claim("slack")))
                .json()
                .path("approval_id")
                .asText();
        assertThat(http.get("/v1/intent-approvals/" + named)
                        .json()
                        .path("passport_jti")
                        .asText())
                .isEqualTo(jti);

        fake.seed().intentApprovalsNamePassport(false);
        Http.Reply submitted = http.passport(token).post("/v1/intents", Map.of("intent", claim("slack")));
        assertThat(submitted.json().has("passport_jti")).isFalse();
        String id = submitted.json().path("approval_id").asText();
        fake.owner().rejectIntent(id, false);
        JsonNode read = http.get("/v1/intent-approvals/" + id).json();
        assertThat(read.path("status").asText()).isEqualTo("rejected");
        assertThat(read.has("passport_jti")).isFalse();
        assertThat(fake.isRevoked(jti)).isTrue();

        fake.reset(); // the switch is back on
        seed(fake);
        JsonNode after = http.passport(token)
                .post("/v1/intents", Map.of("intent", claim("slack")))
                .json();
        assertThat(after.path("passport_jti").asText())
                .isEqualTo(PassportsEndpointTest.part(token, 1).path("jti").asText());
    }
}

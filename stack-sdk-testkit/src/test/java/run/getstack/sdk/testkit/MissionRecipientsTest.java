package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * {@code POST /v1/missions/{id}/recipients} (live tool {@code stack_add_mission_recipients}, wire protocol §10.4.2):
 * the owner adds, values are kept once, nothing is removed, an ended mission answers 409.
 */
class MissionRecipientsTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("sender");
    }

    private String open(List<String> recipients) {
        Http.Reply r = http.post(
                "/v1/missions/open",
                Map.of("agent_id", agent, "intent_summary", "send", "services", List.of(), "recipients", recipients));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("mission_id").asText();
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theOwnerAddsRecipientsAndPinsMergedEachOnceAndNothingRemoved() {
        String id = open(List.of("ops@example.com"));
        Http.Reply added = http.post(
                "/v1/missions/" + id + "/recipients",
                Map.of(
                        "recipients",
                        List.of("+15550100", "ops@example.com", "+15550100"),
                        "recipient_pins",
                        List.of(Map.of("path", "*", "op", "eq", "value", "team@example.com"))));
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        JsonNode body = added.json();
        assertThat(body.path("mission_id").asText()).isEqualTo(id);
        assertThat(texts(body.path("recipients"))).containsExactly("ops@example.com", "+15550100");
        assertThat(body.path("recipient_pins")).hasSize(1);
        assertThat(body.path("recipient_pins").get(0).path("path").asText()).isEqualTo("*");

        JsonNode again = http.post(
                        "/v1/missions/" + id + "/recipients",
                        Map.of("recipient_pins", List.of(Map.of("path", "*", "op", "eq", "value", "team@example.com"))))
                .json();
        assertThat(again.path("recipient_pins"))
                .as("a pin already there is kept once")
                .hasSize(1);
        assertThat(texts(again.path("recipients"))).containsExactly("ops@example.com", "+15550100");

        JsonNode mission = http.get("/v1/missions/" + id).json();
        assertThat(texts(mission.path("recipients"))).containsExactly("ops@example.com", "+15550100");
        assertThat(mission.path("recipient_pins")).hasSize(1);
        StackAssertions.assertThat(fake.auditLog()).hasEntry("mission.recipients");
    }

    /** The agent itself: its key enrolled, calling with an agent-signed JWT (wire protocol §2.4). */
    private Http asAgent() {
        return http.asAgent(fake, agent, CLOCK.instant());
    }

    @Test
    void anAgentCannotAddToItsOwnMission() throws Exception {
        String id = open(List.of());
        Http.Reply r =
                asAgent().post("/v1/missions/" + id + "/recipients", Map.of("recipients", List.of("me@evil.test")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.reason()).isEqualTo("agent_cannot_add_recipients");
        assertThat(http.get("/v1/missions/" + id).json().path("recipients")).isEmpty();
    }

    @Test
    void emptyMalformedOrLateAddsAreRefused() {
        String id = open(List.of());
        Replies.assertError(
                http.post("/v1/missions/" + id + "/recipients", Map.of()), 400, "INVALID_REQUEST", "recipients");
        Replies.assertError(
                http.post("/v1/missions/" + id + "/recipients", Map.of("recipients", List.of("x".repeat(321)))),
                400,
                "INVALID_REQUEST",
                "recipients.0");
        Replies.assertError(
                http.post("/v1/missions/" + id + "/recipients", Map.of("recipients", List.of("a@b.c", " "))),
                400,
                "INVALID_REQUEST",
                "recipients.1");
        Replies.assertError(
                http.post(
                        "/v1/missions/" + id + "/recipients",
                        Map.of("recipient_pins", List.of(Map.of("path", "*", "op", "Equals", "value", "x")))),
                400,
                "INVALID_REQUEST",
                "recipient_pins.0.op");
        Replies.assertError(
                http.post("/v1/missions/ms_nope/recipients", Map.of("recipients", List.of("a@b.c"))), 404, "NOT_FOUND");
        http.post("/v1/missions/" + id + "/complete", Map.of());
        Http.Reply late = http.post("/v1/missions/" + id + "/recipients", Map.of("recipients", List.of("a@b.c")));
        Replies.assertError(late, 409, "MISSION_ENDED");
    }
}

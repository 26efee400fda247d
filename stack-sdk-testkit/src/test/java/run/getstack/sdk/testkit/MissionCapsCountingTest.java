package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * What a mission's caps count (wire protocol §10.4.5): lease grants as actions; proxy calls as actions, their
 * request and response body bytes and their price in cents. A cap that would be passed pauses the mission, names
 * itself and performs nothing.
 */
class MissionCapsCountingTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    /** {@code {"prompt":"hi"}} as the fake forwards it: 15 bytes. */
    static final Map<String, String> BODY = Map.of("prompt", "hi");

    static final int REQUEST_BYTES = "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8).length;
    static final String REPLY = "0123456789";

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    MockWebServer upstream;
    int calls;

    @BeforeEach
    void seed(FakeControlPlane fake) throws Exception {
        agent = fake.seed()
                .newAgent("counted")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        String conn = fake.seed().connection("openai", "sk-counted-secret", "chat");
        fake.seed().grant(agent, conn, "chat");
        upstream = new MockWebServer();
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private JsonNode start(Map<String, Object> limits) {
        Http.Reply r = http.post(
                "/v1/missions",
                Map.of("agent_id", agent, "intent_summary", "count", "services", List.of("openai"), "limits", limits));
        return Replies.ok(r, 201);
    }

    private static String token(JsonNode mission) {
        return mission.path("passport").path("token").asText();
    }

    private Http.Reply proxy(String token) {
        upstream.enqueue(new MockResponse.Builder().code(200).body(REPLY).build());
        return http.passport(token)
                .post(
                        "/v1/proxy",
                        Map.of(
                                "service",
                                "openai",
                                "method",
                                "POST",
                                "url",
                                upstream.url("/v1/chat").toString(),
                                "body",
                                BODY,
                                "authority_request_id",
                                "arq_count_" + ++calls));
    }

    private static void assertPausedBy(Http.Reply r, String cap) {
        Replies.assertError(r, 409, "MISSION_PAUSED");
        assertThat(Replies.detail(r, "paused_cap")).isEqualTo(cap);
    }

    @Test
    void leaseGrantsAreActionsAndTheOneThatWouldPassTheCapIsRefusedUngranted() {
        JsonNode m = start(Map.of("max_actions", 2));
        String id = m.path("mission_id").asText();
        String token = token(m);
        for (int i = 0; i < 2; i++) {
            Http.Reply lease = http.passport(token).post("/v1/leases", Map.of("provider", "openai"));
            assertThat(lease.status()).as(lease.text()).isEqualTo(201);
        }
        assertThat(fake.owner().mission(id).actions()).isEqualTo(2);
        assertThat(fake.owner().mission(id).actionsByService()).containsEntry("openai", 2L);

        Http.Reply third = http.passport(token).post("/v1/leases", Map.of("provider", "openai"));
        assertPausedBy(third, "max_actions");
        assertThat(third.text()).doesNotContain("sk-counted-secret");
        FakeMission paused = fake.owner().mission(id);
        assertThat(paused.status()).isEqualTo("paused");
        assertThat(paused.pausedCap()).isEqualTo("max_actions");
        assertThat(paused.actions()).as("the refused grant is not counted").isEqualTo(2);
        assertThat(http.get("/v1/missions/" + id)
                        .json()
                        .path("usage")
                        .path("actions")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void proxyCallsCountRequestAndResponseBytesAndAResponseThatPassesTheCapPausesForTheNextCall() {
        long perCall = REQUEST_BYTES + REPLY.length();
        // room for the second call's request but not its response
        JsonNode m = start(Map.of("max_bytes", perCall + REQUEST_BYTES));
        String id = m.path("mission_id").asText();
        String token = token(m);

        assertThat(proxy(token).status()).isEqualTo(200);
        assertThat(fake.owner().mission(id).bytes()).isEqualTo(perCall);
        Http.Reply second = proxy(token);
        assertThat(second.status()).as("performed, so its response is returned").isEqualTo(200);
        assertThat(second.json().path("body").asText()).isEqualTo(REPLY);
        FakeMission after = fake.owner().mission(id);
        assertThat(after.bytes()).isEqualTo(2 * perCall);
        assertThat(after.status()).isEqualTo("paused");
        assertThat(after.pausedCap()).isEqualTo("max_bytes");

        assertPausedBy(proxy(token), "max_bytes");
        assertThat(upstream.getRequestCount())
                .as("the refused call is not forwarded")
                .isEqualTo(2);

        fake.owner().raise(id, 10 * perCall);
        assertThat(proxy(token).status()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(3);
        assertThat(http.get("/v1/missions/" + id)
                        .json()
                        .path("usage")
                        .path("bytes")
                        .asLong())
                .isEqualTo(3 * perCall);
    }

    @Test
    void aRequestBodyThatAlonePassesTheByteCapIsRefusedBeforeItIsForwarded() {
        JsonNode m = start(Map.of("max_bytes", REQUEST_BYTES - 1));
        assertPausedBy(proxy(token(m)), "max_bytes");
        assertThat(upstream.getRequestCount()).isZero();
        assertThat(fake.owner().mission(m.path("mission_id").asText()).bytes()).isZero();
    }

    @Test
    void proxyCallsAreChargedTheirPriceAgainstTheCentsCap() {
        fake.seed().proxyCallPrice("openai", 3);
        JsonNode m = start(Map.of("max_cents", 7));
        String id = m.path("mission_id").asText();
        String token = token(m);
        assertThat(proxy(token).status()).isEqualTo(200);
        assertThat(proxy(token).status()).isEqualTo(200);
        assertThat(fake.owner().mission(id).cents()).isEqualTo(6);

        assertPausedBy(proxy(token), "max_cents");
        assertThat(upstream.getRequestCount()).isEqualTo(2);
        assertThat(fake.owner().mission(id).cents()).isEqualTo(6);

        // leases and credential reads carry no price
        fake.owner().raise(id, 9);
        assertThat(http.passport(token)
                        .post("/v1/leases", Map.of("provider", "openai"))
                        .status())
                .isEqualTo(201);
        assertThat(fake.owner().mission(id).cents()).isEqualTo(6);
    }

    @Test
    void pricesAreCheckedAndClearedByReset() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fake.seed().proxyCallPrice("openai", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cents");
        fake.seed().proxyCallPrice("openai", 5);
        fake.reset();
        agent = fake.seed().newAgent("again").mode(AccountabilityMode.STANDARD).create();
        String conn = fake.seed().connection("openai", "sk-again", "chat");
        fake.seed().grant(agent, conn, "chat");
        JsonNode m = start(Map.of("max_cents", 1));
        assertThat(proxy(token(m)).status()).isEqualTo(200);
        assertThat(fake.owner().mission(m.path("mission_id").asText()).cents()).isZero();
    }
}

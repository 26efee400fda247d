package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Refresh re-reads current permissions (wire protocol §3.4): a narrowed grant narrows the refreshed passport. */
class RefreshNarrowingTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    String openai;
    String slack;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("narrowed");
        openai = fake.seed().connection("openai", "sk-narrow", "chat", "embed");
        slack = fake.seed().connection("slack", "xoxb-narrow", "read", "write");
        fake.seed().grant(agent, openai, "chat", "embed");
        fake.seed().grant(agent, slack, "read", "write");
    }

    private static List<String> scopesOf(JsonNode services, String connectionId) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : services) {
            if (s.path("service_id").asText().equals(connectionId)) {
                s.path("scopes").forEach(x -> out.add(x.asText()));
            }
        }
        return out;
    }

    private static JsonNode services(String token) throws Exception {
        return PassportsEndpointTest.part(token, 1).path("stk").path("services");
    }

    @Test
    void aScopeTakenFromTheGrantSinceIssueIsGoneFromTheRefreshedPassportAndNothingIsAdded() throws Exception {
        SeededPassport p = fake.seed().passport(agent, "work", "openai", "slack");
        assertThat(scopesOf(services(p.token()), openai)).containsExactly("chat", "embed");

        // pure narrowing applies at once (stack_grant_agent_access): the grant is replaced by a narrower one
        Http.Reply narrowed = http.post(
                "/v1/agents/" + agent + "/grants", Map.of("service_connection_id", openai, "scopes", List.of("chat")));
        assertThat(narrowed.status()).as(narrowed.text()).isEqualTo(200);
        assertThat(fake.isRevoked(p.jti())).as("narrowing revokes nothing").isFalse();

        Http.Reply refreshed = http.post("/v1/passports/refresh", Map.of("token", p.token()));
        assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(201);
        JsonNode now = services(refreshed.json().path("token").asText());
        assertThat(scopesOf(now, openai)).containsExactly("chat");
        assertThat(scopesOf(now, slack)).containsExactly("read", "write");

        // widening the grant again adds nothing to a refresh of the narrowed passport
        http.post(
                "/v1/agents/" + agent + "/grants",
                Map.of("service_connection_id", openai, "scopes", List.of("chat", "embed")));
        Http.Reply again = http.post(
                "/v1/passports/refresh",
                Map.of("token", refreshed.json().path("token").asText()));
        assertThat(scopesOf(services(again.json().path("token").asText()), openai))
                .containsExactly("chat");
        JsonNode verified = new Http(fake.baseUrl(), null)
                .post(
                        "/v1/passports/verify",
                        Map.of("token", again.json().path("token").asText()))
                .json();
        assertThat(verified.path("valid").asBoolean()).isTrue();
    }

    @Test
    void aServiceWhoseScopesAreAllTakenIsDroppedWhileTheOthersStay() throws Exception {
        SeededPassport p = fake.seed()
                .newPassport(agent)
                .intent("work", "openai", "slack")
                .scopes(openai, "embed")
                .scopes(slack, "read")
                .create();
        http.post(
                "/v1/agents/" + agent + "/grants", Map.of("service_connection_id", openai, "scopes", List.of("chat")));
        Http.Reply refreshed = http.post("/v1/passports/refresh", Map.of("token", p.token()));
        assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(201);
        JsonNode now = services(refreshed.json().path("token").asText());
        assertThat(scopesOf(now, openai)).isEmpty();
        assertThat(scopesOf(now, slack)).containsExactly("read");
        assertThat(now).hasSize(1);
    }
}

package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Registration as hosted STACK has it today (live tool {@code stack_register_agent}, wire protocol §2.1, §13.1):
 * underscores in names, {@code profile} and {@code key_mode}; and security events' {@code limit} up to 500.
 */
class AgentRegistrationLiveTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    Http http;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        http = new Http(fake);
    }

    private JsonNode register(Map<String, ?> body) {
        Http.Reply r = http.post("/v1/agents/register", body);
        return Replies.ok(r, 201);
    }

    @Test
    void namesMayContainUnderscoresButNotAtTheEnds() {
        JsonNode a = register(Map.of("name", "support_bot_2"));
        assertThat(a.path("name").asText()).isEqualTo("support_bot_2");
        Http.Reply renamed = http.patch("/v1/agents/" + a.path("id").asText(), Map.of("name", "help_desk"));
        assertThat(renamed.json().path("name").asText()).isEqualTo("help_desk");
        Replies.assertError(http.post("/v1/agents/register", Map.of("name", "_bot")), 400, "INVALID_REQUEST", "name");
        Replies.assertError(http.post("/v1/agents/register", Map.of("name", "bot_")), 400, "INVALID_REQUEST", "name");
        Replies.assertError(
                http.patch("/v1/agents/" + a.path("id").asText(), Map.of("name", "Help_Desk")),
                400,
                "INVALID_REQUEST",
                "name");
    }

    @Test
    void withoutProfileOrKeyModeBothAreNullAndTheHostedBasePostureStands() {
        JsonNode a = register(Map.of("name", "plain-bot"));
        assertThat(a.path("profile").isNull()).isTrue();
        assertThat(a.path("key_mode").isNull()).isTrue();
        assertThat(a.path("accountability_mode").asText()).isEqualTo("logged");
        assertThat(a.path("credential_access").asText()).isEqualTo("proxy_only");
        assertThat(http.get("/v1/agents/" + a.path("id").asText())
                        .json()
                        .path("credential_access")
                        .asText())
                .isEqualTo("proxy_only");
    }

    @Test
    void theOlderPostureIsKeptWhenSentExplicitly() {
        JsonNode a =
                register(Map.of("name", "rest_bot", "accountability_mode", "enforced", "credential_access", "direct"));
        assertThat(a.path("accountability_mode").asText()).isEqualTo("enforced");
        assertThat(a.path("credential_access").asText()).isEqualTo("direct");
        JsonNode onlyMode = register(Map.of("name", "std_bot", "accountability_mode", "standard"));
        assertThat(onlyMode.path("accountability_mode").asText()).isEqualTo("standard");
        assertThat(onlyMode.path("credential_access").asText()).isEqualTo("proxy_only");
    }

    @Test
    void theProxiedLlmBotProfileExpandsAndExplicitFieldsOverrideIt() {
        JsonNode preset = register(Map.of("name", "llm-bot", "profile", "proxied-llm-bot"));
        assertThat(preset.path("profile").asText()).isEqualTo("proxied-llm-bot");
        assertThat(preset.path("accountability_mode").asText()).isEqualTo("logged");
        assertThat(preset.path("credential_access").asText()).isEqualTo("proxy_only");
        assertThat(preset.path("key_mode").asText()).isEqualTo("stack_managed");

        JsonNode overridden = register(Map.of(
                "name",
                "llm-bot-2",
                "profile",
                "proxied-llm-bot",
                "accountability_mode",
                "enforced",
                "key_mode",
                "self_managed"));
        assertThat(overridden.path("accountability_mode").asText()).isEqualTo("enforced");
        assertThat(overridden.path("credential_access").asText()).isEqualTo("proxy_only");
        assertThat(overridden.path("key_mode").asText()).isEqualTo("self_managed");

        JsonNode other = register(Map.of("name", "custom-bot", "profile", "my_preset"));
        assertThat(other.path("profile").asText()).isEqualTo("my_preset");
        assertThat(other.path("accountability_mode").asText()).isEqualTo("logged");
        assertThat(other.path("credential_access").asText()).isEqualTo("proxy_only");
        assertThat(http.get("/v1/agents/" + other.path("id").asText())
                        .json()
                        .path("profile")
                        .asText())
                .isEqualTo("my_preset");
    }

    @Test
    void keyModeIsFixedAtRegistration() {
        JsonNode a = register(Map.of("name", "keyed-bot", "key_mode", "stack_managed"));
        String path = "/v1/agents/" + a.path("id").asText();

        Replies.assertError(
                http.patch(path, Map.of("key_mode", "self_managed", "description", "changed")),
                400,
                "INVALID_REQUEST",
                "key_mode");
        assertThat(http.get(path).json().path("description").isNull()).isTrue(); // nothing of the patch applied
        assertThat(http.patch(path, Map.of("key_mode", "stack_managed")).status())
                .isEqualTo(200);
        Replies.assertError(http.patch(path, Map.of("profile", "proxied-llm-bot")), 400, "INVALID_REQUEST", "profile");
        assertThat(http.get(path).json().path("key_mode").asText()).isEqualTo("stack_managed");
    }

    @Test
    void malformedProfileOrKeyModeIsRefusedNamingIt() {
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "a-bot", "profile", "Bad Profile")),
                400,
                "INVALID_REQUEST",
                "profile");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "a-bot", "key_mode", "x".repeat(65))),
                400,
                "INVALID_REQUEST",
                "key_mode");
        Replies.assertError(
                http.post("/v1/agents/register", Map.of("name", "a-bot", "key_mode", 7)),
                400,
                "INVALID_REQUEST",
                "key_mode");
    }

    @Test
    void securityEventsAcceptALimitOfUpTo500() {
        Http.Reply ok = http.get("/v1/security-events?limit=500");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("limit").asInt()).isEqualTo(500);
        Replies.assertError(http.get("/v1/security-events?limit=501"), 400, "INVALID_REQUEST", "limit");
    }
}

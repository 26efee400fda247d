package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

/** The typed seeding builders: what they create is what the fake then serves over HTTP. */
class SeedBuildersTest {
    private final TestClock clock = TestClock.create();
    private FakeControlPlane fake;
    private Http http;

    @BeforeEach
    void start() {
        fake = FakeControlPlane.builder().clock(clock).start();
        http = new Http(fake);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void anAgentGetsEveryTypedSetting() {
        String id = fake.seed()
                .newAgent("typed-bot")
                .mode(AccountabilityMode.LOGGED)
                .description("nightly reports")
                .onWarning(SignalAction.BLOCK)
                .onCritical(SignalAction.NOTIFY)
                .credentialAccess(CredentialAccess.PROXY_ONLY)
                .create();

        JsonNode a = http.get("/v1/agents/" + id).json();
        assertThat(a.path("name").asText()).isEqualTo("typed-bot");
        assertThat(a.path("accountability_mode").asText()).isEqualTo("logged");
        assertThat(a.path("description").asText()).isEqualTo("nightly reports");
        assertThat(a.path("on_warning").asText()).isEqualTo("block");
        assertThat(a.path("on_critical").asText()).isEqualTo("notify");
        assertThat(a.path("credential_access").asText()).isEqualTo("proxy_only");
        assertThat(a.path("status").asText()).isEqualTo("active");
    }

    @Test
    void aSuspendedAgentGetsNoPassportAndSettingsChangeLater() {
        String id = fake.seed()
                .newAgent("sleeper")
                .mode(AccountabilityMode.STANDARD)
                .suspended()
                .create();
        assertThat(http.get("/v1/agents/" + id).json().path("status").asText()).isEqualTo("suspended");
        assertThatThrownBy(() -> fake.seed().newPassport(id).create())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("suspended");

        fake.seed()
                .agentSettings(id)
                .suspended(false)
                .mode(AccountabilityMode.ENFORCED)
                .apply();

        JsonNode a = http.get("/v1/agents/" + id).json();
        assertThat(a.path("status").asText()).isEqualTo("active");
        assertThat(a.path("accountability_mode").asText()).isEqualTo("enforced");
    }

    @Test
    void theDefaultsAreHostedStacksPostureAndANameClashIsRefused() {
        String id = fake.seed().newAgent("twice").create();
        JsonNode a = http.get("/v1/agents/" + id).json();
        assertThat(a.path("accountability_mode").asText()).isEqualTo("logged");
        assertThat(a.path("credential_access").asText()).isEqualTo("proxy_only");
        String older = fake.seed()
                .newAgent("older")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        JsonNode o = http.get("/v1/agents/" + older).json();
        assertThat(o.path("accountability_mode").asText()).isEqualTo("enforced");
        assertThat(o.path("credential_access").asText()).isEqualTo("direct");
        String shortForm = fake.seed().agent("short_form");
        assertThat(http.get("/v1/agents/" + shortForm)
                        .json()
                        .path("credential_access")
                        .asText())
                .isEqualTo("proxy_only");
        assertThatThrownBy(() -> fake.seed().newAgent("twice").create())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CONFLICT");
        assertThatThrownBy(() -> fake.seed().newAgent("Not Valid").create())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectionsTakeASecretOrFieldsAndNeedScopes() {
        String agent = fake.seed()
                .newAgent("reader")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // reads raw credentials
                .create();
        String openai = fake.seed()
                .newConnection("openai")
                .secret("sk-typed")
                .scopes("chat")
                .create();
        String sftp = fake.seed()
                .newConnection("custom_sftp_server")
                .field("host", "sftp.example.com")
                .field("password", "hunter2")
                .scopes("read")
                .create();
        fake.seed().newGrant(agent, openai).scopes("chat").create();
        fake.seed().grant(agent, sftp, "read");
        SeededPassport p = fake.seed().newPassport(agent).create();

        Http.Reply key = http.passport(p.token()).get("/v1/credentials/openai");
        assertThat(key.status()).as(key.text()).isEqualTo(200);
        assertThat(key.text()).contains("sk-typed");
        Http.Reply fields = http.passport(p.token()).get("/v1/credentials/custom_sftp_server");
        assertThat(fields.text()).contains("sftp.example.com").contains("hunter2");

        ConnectionSeed noSecret = fake.seed().newConnection("slack").scopes("chat:write");
        assertThatThrownBy(noSecret::create)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret");
        ConnectionSeed noScope = fake.seed().newConnection("slack").secret("xoxb");
        assertThatThrownBy(noScope::create)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scope");
        assertThatThrownBy(() -> fake.seed().newConnection("x").secret("a").field("b", "c"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(fake.seed().newConnection("openai").secret("sk-hidden").toString())
                .doesNotContain("sk-hidden");
    }

    @Test
    void aGrantCarriesItsConstraintsIntoThePassport() {
        String agent = fake.seed()
                .newAgent("constrained")
                .mode(AccountabilityMode.STANDARD)
                .create();
        String gh = fake.seed().connection("github", "ghp_x", "repo");
        fake.seed()
                .newGrant(agent, gh)
                .scopes("repo")
                .constraint("method", ConstraintOp.EQ, "GET")
                .constraint("url.host", ConstraintOp.IN, List.of("api.github.com"))
                .create();

        SeededPassport p = fake.seed().newPassport(agent).create();

        @SuppressWarnings("unchecked")
        Map<String, Object> stk =
                (Map<String, Object>) fake.passportClaims(p.jti()).get("stk");
        assertThat(stk.get("services").toString())
                .contains("path=method", "op=eq", "value=GET")
                .contains("path=url.host", "op=in", "value=[api.github.com]");
        assertThatThrownBy(() -> fake.seed().newGrant(agent, gh).create())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scope");
        assertThatThrownBy(() -> fake.seed()
                        .newGrant(agent, "svc_conn_unknown")
                        .scopes("repo")
                        .create())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPassportTakesItsIntentTtlAndNarrowedScopes() {
        String agent =
                fake.seed().newAgent("scoped").mode(AccountabilityMode.LOGGED).create();
        String openai = fake.seed().connection("openai", "sk-1", "chat", "embeddings");
        fake.seed().grant(agent, openai, "chat", "embeddings");

        SeededPassport p = fake.seed()
                .newPassport(agent)
                .intent("summarise papers", "openai")
                .ttl(Duration.ofMinutes(10))
                .scopes(openai, "chat")
                .create();

        assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        @SuppressWarnings("unchecked")
        Map<String, Object> stk =
                (Map<String, Object>) fake.passportClaims(p.jti()).get("stk");
        assertThat(stk.get("services").toString()).contains("scopes=[chat]").doesNotContain("embeddings");
        assertThatThrownBy(() -> fake.seed().newPassport(agent).create())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ACCOUNTABILITY_REQUIRED");
        assertThatThrownBy(() -> fake.seed()
                        .newPassport(agent)
                        .intent("more", "openai")
                        .scopes(openai, "admin")
                        .create())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Scope not granted");
    }

    @Test
    void anEnforcedPassportLivesAtMostItsCheckpointInterval() {
        String agent = fake.seed()
                .newAgent("checked")
                .mode(AccountabilityMode.ENFORCED)
                .create();
        SeededPassport p = fake.seed()
                .newPassport(agent)
                .intent("work")
                .ttl(Duration.ofMinutes(30))
                .checkpointInterval(Duration.ofMinutes(2))
                .create();
        assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
    }

    @Test
    void passportDurationsAreCheckedAtOnceAndNamed() {
        PassportSeed seed = fake.seed().newPassport("agt_any");
        assertThatThrownBy(() -> seed.ttl(Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ttl");
        assertThatThrownBy(() -> seed.ttl(Duration.ofMillis(90_500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ttl");
        assertThatThrownBy(() -> seed.checkpointInterval(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("checkpointInterval");
        assertThatThrownBy(() -> fake.seed().newAgent("x").baseline(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wireValuesRoundTripAndUnknownOnesAreNamed() {
        for (AccountabilityMode m : AccountabilityMode.values()) {
            assertThat(AccountabilityMode.fromWire(m.wireValue())).isEqualTo(m);
        }
        for (CredentialAccess c : CredentialAccess.values()) {
            assertThat(CredentialAccess.fromWire(c.wireValue())).isEqualTo(c);
        }
        assertThat(SignalAction.fromWire("block")).isEqualTo(SignalAction.BLOCK);
        assertThat(ConstraintOp.STARTS_WITH.wireValue()).isEqualTo("starts_with");
        assertThatThrownBy(() -> CredentialAccess.fromWire("raw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("credential_access");
        assertThatThrownBy(() -> AccountabilityMode.fromWire("strict"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accountability_mode");
    }
}

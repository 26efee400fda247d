package run.getstack.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.agent.internal.DefaultAgents;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.SeededPassport;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code client.agents()} against the fake control plane. */
class AgentsTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;
    private Agents agents;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        client = ApiTestSupport.client(fake, CLOCK).build();
        agents = client.agents();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aRegisteredAgentCarriesItsTypedSettings() {
        Agent bot = agents.register(AgentRegistration.builder("support-bot")
                .description("answers tickets")
                .accountabilityMode(AccountabilityMode.LOGGED)
                .onWarning(FlagAction.BLOCK)
                .onCritical(FlagAction.BLOCK)
                .credentialAccess(CredentialAccess.PROXY_ONLY)
                .iconUrl("https://example.com/bot.png")
                .build());

        assertThat(bot.id()).startsWith("agt_");
        assertThat(bot.operatorId()).isEqualTo(fake.operatorId());
        assertThat(bot.name()).isEqualTo("support-bot");
        assertThat(bot.description()).isEqualTo("answers tickets");
        assertThat(bot.status()).isEqualTo(AgentStatus.ACTIVE);
        assertThat(bot.accountabilityMode()).isEqualTo(AccountabilityMode.LOGGED);
        assertThat(bot.onWarning()).isEqualTo(FlagAction.BLOCK);
        assertThat(bot.credentialAccess()).isEqualTo(CredentialAccess.PROXY_ONLY);
        assertThat(bot.passportBlocked()).isFalse();
        assertThat(bot.keyEnrolled()).isFalse();
        assertThat(agents.get(bot.id())).isEqualTo(bot);
        assertThat(agents.list().stream().map(Agent::id)).containsExactly(bot.id());
        assertThat(fake.auditLog().actions()).contains("agent.register");
    }

    @Test
    void fieldsLeftUnsetAreNotSentSoStackAppliesItsDefaults() {
        agents.register(AgentRegistration.builder("plain-bot").build());

        String body =
                fake.journal().entries("POST", "/v1/agents/register").get(0).body();
        assertThat(body).isEqualTo("{\"name\":\"plain-bot\"}");
    }

    @Test
    void profileAndKeyModeAreSentAsGiven() {
        AgentRegistration r = AgentRegistration.builder("llm-bot")
                .profile("proxied-llm-bot")
                .keyMode(KeyMode.STACK_MANAGED)
                .build();
        agents.register(r);

        String body =
                fake.journal().entries("POST", "/v1/agents/register").get(0).body();
        assertThat(body).contains("\"profile\":\"proxied-llm-bot\"").contains("\"key_mode\":\"stack_managed\"");
    }

    @Test
    void theFakeStoresProfileAndKeyModeAndExpandsTheOnePresetStackNames() {
        Agent bot = agents.register(AgentRegistration.builder("preset-bot")
                .profile("proxied-llm-bot")
                .build());

        assertThat(bot.accountabilityMode()).isEqualTo(AccountabilityMode.LOGGED);
        assertThat(bot.credentialAccess()).isEqualTo(CredentialAccess.PROXY_ONLY);
        assertThat(bot.keyMode()).isEqualTo(KeyMode.STACK_MANAGED);
        assertThat(agents.get(bot.id()).keyMode()).isEqualTo(KeyMode.STACK_MANAGED);
        assertThat(agents.register(AgentRegistration.builder("keyless-bot").build())
                        .keyMode())
                .isNull();
    }

    @Test
    void anUnderscoredNameRegistersAndRenamesAtTheFake() {
        Agent bot = agents.register(AgentRegistration.builder("support_bot_2").build());
        assertThat(bot.name()).isEqualTo("support_bot_2");

        Agent renamed =
                agents.update(bot.id(), AgentUpdate.builder().name("help_desk").build());

        assertThat(renamed.name()).isEqualTo("help_desk");
        assertThat(agents.get(bot.id()).name()).isEqualTo("help_desk");
    }

    @Test
    void eachInvalidFieldIsRefusedLocallyNamingTheField() {
        assertRefused(() -> AgentRegistration.builder("Support-Bot"), "name");
        assertRefused(() -> AgentRegistration.builder("-bot"), "name");
        assertRefused(() -> AgentRegistration.builder("bot_"), "name");
        assertRefused(() -> AgentRegistration.builder("b"), "name");
        assertRefused(() -> AgentRegistration.builder("has space"), "name");
        assertRefused(() -> AgentRegistration.builder("a".repeat(65)), "name");
        AgentRegistration.Builder b = AgentRegistration.builder("ok-bot");
        assertRefused(() -> b.description("d".repeat(257)), "description");
        assertRefused(() -> b.iconUrl(""), "icon_url");
        assertRefused(() -> b.iconUrl("x".repeat(100_001)), "icon_url");
        assertRefused(() -> b.profile("Bad Profile"), "profile");
        assertRefused(() -> b.accountabilityMode(AccountabilityMode.of("paranoid")), "accountability_mode");
        assertRefused(() -> b.onWarning(FlagAction.of("page_someone")), "on_warning");
        assertRefused(() -> b.onCritical(FlagAction.of("shrug")), "on_critical");
        assertRefused(() -> b.credentialAccess(CredentialAccess.of("telepathy")), "credential_access");
        assertRefused(() -> AgentUpdate.builder().status(AgentStatus.of("retired")), "status");
        assertRefused(() -> AccountabilityMode.of("NOT A VALUE"), "accountability_mode");

        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void theLongestValidValuesPass() {
        AgentRegistration r = AgentRegistration.builder("a".repeat(64))
                .description("d".repeat(256))
                .iconUrl("x".repeat(100_000))
                .build();
        assertThat(agents.register(r).description()).hasSize(256);
    }

    @Test
    void namesMayContainUnderscoresAsTodaysStackAllows() {
        assertThat(AgentRegistration.builder("support_bot_2").build().name()).isEqualTo("support_bot_2");
        assertThat(AgentUpdate.builder().name("a_b").build().name()).isEqualTo("a_b");
    }

    @Test
    void theFakeRefusesTheSameFieldsWhenSentRaw() {
        assertRawRefused("{\"name\":\"Support Bot\"}", "name");
        assertRawRefused("{\"name\":\"" + "a".repeat(65) + "\"}", "name");
        assertRawRefused("{\"name\":\"ok-bot\",\"description\":\"" + "d".repeat(257) + "\"}", "description");
        assertRawRefused("{\"name\":\"ok-bot\",\"accountability_mode\":\"paranoid\"}", "accountability_mode");
        assertRawRefused("{\"name\":\"ok-bot\",\"on_warning\":\"shrug\"}", "on_warning");
        assertRawRefused("{\"name\":\"ok-bot\",\"credential_access\":\"telepathy\"}", "credential_access");
    }

    private void assertRawRefused(String json, String field) {
        HttpResponse<String> r = ApiTestSupport.rawPost(fake, "/v1/agents/register", json);
        assertThat(r.statusCode()).as(json).isEqualTo(400);
        assertThat(r.body()).contains("INVALID_REQUEST").contains("\"path\":\"" + field + "\"");
    }

    @Test
    void anUpdateSendsOnlyWhatChanged() {
        Agent bot = agents.register(AgentRegistration.builder("edit-bot").build());

        Agent edited = agents.update(
                bot.id(),
                AgentUpdate.builder()
                        .description("now with a description")
                        .credentialAccess(CredentialAccess.PROXY_PREFERRED)
                        .build());

        assertThat(edited.description()).isEqualTo("now with a description");
        assertThat(edited.credentialAccess()).isEqualTo(CredentialAccess.PROXY_PREFERRED);
        assertThat(edited.accountabilityMode()).isEqualTo(bot.accountabilityMode());
        String body = fake.journal().entries("PATCH", "/v1/agents/*").get(0).body();
        assertThat(body)
                .isEqualTo("{\"description\":\"now with a description\",\"credential_access\":\"proxy_preferred\"}");
    }

    @Test
    void anEmptyUpdateIsRefusedLocally() {
        assertThatThrownBy(() -> agents.update("agt_any", AgentUpdate.builder().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("update:");
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void suspendingAnAgentRevokesItsPassports() {
        String agent = fake.seed().agent("suspend-bot", "standard");
        SeededPassport p = fake.seed().newPassport(agent).create();

        Agent suspended = agents.update(
                agent, AgentUpdate.builder().status(AgentStatus.SUSPENDED).build());

        assertThat(suspended.status()).isEqualTo(AgentStatus.SUSPENDED);
        assertThat(fake.isRevoked(p.jti())).isTrue();
    }

    @Test
    void deletingAnAgentRevokesItsPassports() {
        String agent = fake.seed().agent("doomed-bot", "standard");
        SeededPassport p = fake.seed().newPassport(agent).create();

        AgentDeletion d = agents.delete(agent);

        assertThat(d.agentId()).isEqualTo(agent);
        assertThat(d.revokedCount()).isEqualTo(1);
        assertThat(fake.isRevoked(p.jti())).isTrue();
        assertThatThrownBy(() -> agents.get(agent)).isInstanceOf(StackNotFoundException.class);
    }

    @Test
    void unblockClearsTheBlock() {
        String agent = fake.seed().agent("blocked-bot", "enforced");
        blockByCriticalSignal(agent);
        assertThat(fake.isPassportBlocked(agent)).isTrue();

        Agent unblocked = agents.unblock(agent);

        assertThat(unblocked.passportBlocked()).isFalse();
        assertThat(fake.isPassportBlocked(agent)).isFalse();
    }

    /** An enforced agent that fetches a credential outside its intent raises a critical event and is blocked. */
    private void blockByCriticalSignal(String agent) {
        String openai = fake.seed().connection("openai", "sk-test-agents", "chat");
        fake.seed().connection("slack", "xoxb-test-agents", "post");
        fake.seed().grant(agent, openai, "chat");
        SeededPassport p = fake.seed().passport(agent, "summarise tickets", "openai");
        HttpResponse<String> r = ApiTestSupport.raw(fake, "GET", "/v1/credentials/slack", null, p.token());
        assertThat(r.statusCode()).isIn(401, 403);
    }

    @Test
    void anAgentCannotUnblockItself() {
        DefaultAgents asAgent = new DefaultAgents(ClientTestHooks.transport(client), "agt_self");

        assertThatThrownBy(() -> asAgent.unblock("agt_self"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot unblock itself");
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void unknownIdsAreNotFound() {
        AgentUpdate u = AgentUpdate.builder().description("x").build();
        assertThatThrownBy(() -> agents.get("agt_nobody")).isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> agents.update("agt_nobody", u)).isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> agents.delete("agt_nobody")).isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> agents.unblock("agt_nobody")).isInstanceOf(StackNotFoundException.class);
    }

    @Test
    void malformedIdsAreRefusedBeforeAnythingIsSent() {
        assertRefused(() -> agents.get("agt/../x"), "agentId");
        assertRefused(() -> agents.delete(""), "agentId");
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void aTakenNameIsAConflict() {
        agents.register(AgentRegistration.builder("twin-bot").build());

        assertThatThrownBy(() ->
                        agents.register(AgentRegistration.builder("twin-bot").build()))
                .isInstanceOfSatisfying(
                        StackConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo("name_taken"));
    }

    @Test
    void aWrongKeyIsRefused() {
        try (StackClient wrong =
                ApiTestSupport.client(fake, CLOCK).apiKey("sk_live_wrong").build()) {
            assertThatThrownBy(() -> wrong.agents().list().iterator().hasNext())
                    .isInstanceOfSatisfying(
                            StackAuthenticationException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("INVALID_API_KEY"));
        }
    }

    @Test
    void aReadonlyMemberListsAgentsButCannotRegisterOne() {
        fake.seed().agent("existing-bot");
        try (StackClient readonly = ApiTestSupport.client(fake, CLOCK)
                .apiKey(fake.seed().member("readonly").apiKey())
                .build()) {
            assertThat(readonly.agents().list().stream())
                    .extracting(Agent::name)
                    .contains("existing-bot");
            assertThatThrownBy(() -> readonly.agents()
                            .register(AgentRegistration.builder("sneaky-bot").build()))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.reason()).isEqualTo("member_role"));
        }
        assertThat(agents.list().stream()).extracting(Agent::name).doesNotContain("sneaky-bot");
    }

    @Test
    void aServerThatDoesNotPageAnswersTheWholeListInOneRequest() throws Exception {
        for (int i = 0; i < 30; i++) {
            fake.seed().agent("bot-" + i);
        }
        // the fake pages when asked to; STACK documents no paging, so serve the fake's unpaged answer as-is
        HttpResponse<String> whole = ApiTestSupport.raw(fake, "GET", "/v1/agents", null, null);
        assertThat(whole.body()).doesNotContain("\"page\"");
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "application/json")
                    .body(whole.body())
                    .build());
            server.start();
            try (StackClient unpaged = ApiTestSupport.client(fake, CLOCK)
                    .baseUrl(server.url("/").toString())
                    .build()) {
                List<Agent> all = unpaged.agents().list(7).stream().toList();

                assertThat(all).hasSize(30);
            }
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(server.takeRequest().getUrl().queryParameter("limit")).isEqualTo("7");
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(field + ":");
    }
}

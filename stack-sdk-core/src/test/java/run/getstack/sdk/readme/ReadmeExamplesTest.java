package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.CheckoutResult;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.ServiceScope;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;

/**
 * Runs README's agent and service snippets ({@link AgentExample}, {@link ServiceExample}) against a fake control
 * plane. Those snippets take no clock, as production code does, so this fake runs on the system clock.
 */
class ReadmeExamplesTest {
    private FakeControlPlane fake;

    @TempDir
    Path home;

    @BeforeEach
    void start() {
        fake = FakeControlPlane.builder().clock(Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void theAgentSnippetRunsAMissionWithItsOwnKeyAndNoOperatorKey() {
        String agent = fake.seed().agent("research-bot");
        String slack = fake.seed().connection("slack", "xoxb-test-not-real", "channels:read");
        fake.seed().grant(agent, slack, "channels:read");
        Path keyFile = home.resolve("agent-key.json");
        // provisioning, done once by the operator: enroll the agent's key (the first call writes the key file)
        try (StackClient operator = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .agentKeyFile(keyFile)
                .build()) {
            operator.passports().listActive(agent, null);
        }
        int before = fake.journal().entries().size();

        CheckoutResult result = AgentExample.summariseTickets(fake.baseUrl(), agent, keyFile);

        assertThat(result.status()).isEqualTo("clean");
        List<JournalEntry> agentCalls = fake.journal()
                .entries()
                .subList(before, fake.journal().entries().size());
        assertThat(agentCalls).extracting(JournalEntry::path).contains("/v1/missions");
        // the journal shows credentials as fingerprints: the enrollment challenge carried the operator key's
        String operatorKey = fake.journal().entries().stream()
                .filter(e -> e.path().endsWith("/enrollment-challenge"))
                .findFirst()
                .orElseThrow()
                .headers()
                .get("authorization");
        assertThat(operatorKey).startsWith("Bearer <redacted:");
        assertThat(agentCalls).extracting(e -> e.headers().get("authorization")).doesNotContain(operatorKey);
    }

    @Test
    void theServiceSnippetAnswers200For403AndForAForgery401() {
        String agent = fake.seed().agent("billing-bot", "standard");
        String stripe = fake.seed().connection("stripe", "sk_test_not_real", "charges:read", "charges:write");
        String openai = fake.seed().connection("openai", "sk-test-not-real", "chat");
        fake.seed().grant(agent, stripe, "charges:read");
        fake.seed().grant(agent, openai, "chat");

        try (ServiceExample.ChargesEndpoint endpoint = new ServiceExample.ChargesEndpoint(fake.baseUrl());
                StackClient stripeAgent = client(agent, stripe, "charges:read");
                StackClient chatAgent = client(agent, openai, "chat")) {
            Passport withStripe = stripeAgent.passport().current();
            Passport withoutStripe = chatAgent.passport().current();

            assertThat(endpoint.handle(withStripe.token().revealPlaintext())).isEqualTo(200);
            assertThat(endpoint.handle(withoutStripe.token().revealPlaintext())).isEqualTo(403);
            assertThat(endpoint.handle("eyJhbGciOiJub25lIn0.e30.")).isEqualTo(401);
        }
    }

    private StackClient client(String agent, String connectionId, String scope) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .passportRequest(PassportRequest.builder()
                        .scopes(List.of(new ServiceScope(connectionId, List.of(scope))))
                        .build())
                .build();
    }
}

package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.agent.AccountabilityMode;
import run.getstack.sdk.agent.Agent;
import run.getstack.sdk.agent.AgentRegistration;
import run.getstack.sdk.agent.FlagAction;
import run.getstack.sdk.audit.AuditConfig;
import run.getstack.sdk.audit.AuditEvent;
import run.getstack.sdk.audit.AuditFlushResult;
import run.getstack.sdk.audit.AuditOutcome;
import run.getstack.sdk.auditlog.ChainVerification;
import run.getstack.sdk.credential.Credential;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.service.ConnectRequest;
import run.getstack.sdk.service.GrantRequest;
import run.getstack.sdk.service.ServiceConnection;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * README's credentials, fleet and audit-writer snippets, run against the fake control plane on its {@link TestClock}.
 */
class OperatingExamplesTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @TempDir
    Path dir;

    private static StackClient.Builder client(FakeControlPlane fake, String agent) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(CLOCK);
    }

    @Test
    void theCredentialsSnippetCallsThroughTheProxyLeasesAndReadsUnderThePassport(FakeControlPlane fake)
            throws Exception {
        String agent = fake.seed()
                .newAgent("support-bot")
                .mode(run.getstack.sdk.testkit.AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // the snippet leases and reads too
                .create();
        fake.seed().grant(agent, fake.seed().connection("slack", "xoxb-test-not-real", "chat:write"), "chat:write");
        fake.seed().grant(agent, fake.seed().connection("openai", "sk-test-not-real", "chat"), "chat");
        try (MockWebServer upstream = new MockWebServer();
                StackClient stack = client(fake, agent).build()) {
            upstream.enqueue(
                    new MockResponse.Builder().code(200).body("{\"ok\":true}").build());
            upstream.start();
            String slackUrl = upstream.url("/api/chat.postMessage").toString();

            // readme:begin credentials
            // the proxy: the agent never holds the secret (hosted STACK's default posture is proxy_only)
            ProxyResponse posted = stack.proxy()
                    .call(ProxyRequest.builder("slack", "POST", slackUrl)
                            .jsonBody("{\"channel\":\"C1\",\"text\":\"done\"}")
                            .build());
            assertThat(posted.status()).isEqualTo(200);

            // a lease: shared by concurrent callers, renewed from the time left, released when the last hold closes
            try (Lease lease =
                    stack.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofMinutes(10)))) {
                assertThat(lease.secret().revealPlaintext()).isEqualTo("sk-test-not-real");
            }

            // a plain read (one audited retrieval per call)
            try (Credential c = stack.credentials().get("openai")) {
                assertThat(c.secret().revealPlaintext()).isEqualTo("sk-test-not-real");
            }
            // readme:end credentials

            assertThat(upstream.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-test-not-real");
        }
        StackAssertions.assertThat(fake.auditLog()).hasEntry("credential.proxy").hasValidChain();
    }

    @Test
    void theFleetSnippetRegistersConnectsGrantsAndVerifiesAnExportedChain(FakeControlPlane fake) {
        String slackToken = "xoxb-test-not-real";
        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .clock(CLOCK)
                .build()) {
            // readme:begin fleet
            Agent bot = stack.agents()
                    .register(AgentRegistration.builder("support-bot") // checked locally first
                            .accountabilityMode(AccountabilityMode.ENFORCED)
                            .onCritical(FlagAction.BLOCK)
                            .build());
            assertThat(stack.agents().list().stream().map(Agent::id)).contains(bot.id()); // lazy, a page at a time

            ServiceConnection slack = stack.services()
                    .connect(ConnectRequest.of("slack", List.of("chat:write")).oauthToken(Secret.of(slackToken)));
            stack.services().grant(bot.id(), GrantRequest.of(slack.id(), List.of("chat:write")));

            ChainVerification v = stack.auditLog().verifyChain(); // STACK re-hashes its audit chain
            assertThat(v.valid()).isTrue(); // if not, v.firstBadEntryId() names the first bad entry
            // readme:end fleet
        }
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", "/v1/agents/register", 1);
    }

    @Test
    void theAuditWriterSnippetDeliversTheEventOnceWithAVerifyingChain(FakeControlPlane fake) {
        String agent = fake.seed().agent("research-bot", "standard");
        Path spool = dir.resolve("audit");

        // readme:begin audit-writer
        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(CLOCK)
                .audit(AuditConfig.builder(spool).build()) // the spool directory
                .build()) {
            stack.audit()
                    .record(AuditEvent.action("tool.call")
                            .outcome(AuditOutcome.SUCCESS)
                            .detail("tool", "refund"));
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(5)); // acknowledged, spooled, unsafe, rejected
            assertThat(r.isComplete()).as(r.toString()).isTrue();
            assertThat(r.acknowledged()).isEqualTo(1);
        }
        // readme:end audit-writer

        StackAssertions.assertThat(fake.auditLog()).hasEntry("tool.call").hasValidChain();
    }
}

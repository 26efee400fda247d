package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.credential.Credential;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.revocation.StackRevocationUnknownException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The README's revocation snippet: served while live, refused once revoked. */
class RevocationExampleTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @Test
    void theRevocationSnippetIsServedWhileLiveAndStopsOnceRevoked(FakeControlPlane fake) {
        String agentId = fake.seed()
                .newAgent("support-bot")
                .mode(run.getstack.sdk.testkit.AccountabilityMode.STANDARD)
                .credentialAccess(run.getstack.sdk.testkit.CredentialAccess.DIRECT) // reads credentials
                .create();
        fake.seed().grant(agentId, fake.seed().connection("openai", "sk-test-not-real", "chat"), "chat");
        String stackUrl = fake.baseUrl();
        String apiKey = fake.operatorApiKey();
        StackClient operator = StackClient.builder()
                .baseUrl(stackUrl)
                .apiKey(apiKey)
                .clock(CLOCK)
                .build();

        try (StackClient stack = StackClient.builder()
                .baseUrl(stackUrl)
                .apiKey(apiKey)
                .agentId(agentId)
                .clock(CLOCK)
                .revocationStaleness(Duration.ofSeconds(30))
                .build()) {
            assertThat(task(stack)).isTrue();
            operator.passports().revoke(stack.passport().current().jti(), "the README revokes it");
            assertThat(task(stack)).as("refused once revoked").isFalse();
        }

        assertThat(worked).isEqualTo(1);
        operator.close();
    }

    private int worked;

    /** One unit of the agent's work; false when the agent must stop. */
    private boolean task(StackClient stack) {
        // readme:begin revocation
        try (Credential key = stack.credentials().get("openai")) {
            doTheWork(key);
            return true;
        } catch (StackPassportRevokedException e) {
            // terminal for this client: stop and close it. A new client gets a new passport, unless the agent is
            // blocked: then issuing fails with StackPassportBlockedException until an operator unblocks it
            return false;
        } catch (StackRevocationUnknownException e) {
            // STACK could not be asked within the bound: nothing was sent; retry later (or stop)
            return true;
        }
        // readme:end revocation
    }

    private void doTheWork(Credential key) {
        assertThat(key.secret().revealPlaintext()).isEqualTo("sk-test-not-real");
        worked++;
    }
}

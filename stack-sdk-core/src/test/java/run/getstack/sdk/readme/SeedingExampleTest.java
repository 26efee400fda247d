package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.ConstraintOp;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.SeededPassport;
import run.getstack.sdk.testkit.SignalAction;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** README's typed seeding, run on a fake: the passport carries the grant and the agent ends suspended. */
class SeedingExampleTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @Test
    void theReadmeSeedingBuildsAnAgentAConnectionAGrantAndAPassport(FakeControlPlane fake) {
        // readme:begin seeding
        String bot = fake.seed()
                .newAgent("bot")
                .mode(AccountabilityMode.ENFORCED) // unset: hosted STACK's posture, logged + proxy_only
                .credentialAccess(CredentialAccess.DIRECT) // raw credentials and leases
                .onWarning(SignalAction.BLOCK)
                .create();
        String openai = fake.seed()
                .newConnection("openai")
                .secret("sk-test")
                .scopes("chat")
                .create();
        fake.seed()
                .newGrant(bot, openai)
                .scopes("chat")
                .constraint("url.pathname", ConstraintOp.STARTS_WITH, "/v1/chat/") // enforced by /v1/proxy
                .create();
        SeededPassport p = fake.seed()
                .newPassport(bot)
                .intent("summarise", "openai")
                .ttl(Duration.ofMinutes(10))
                .scopes(openai, "chat")
                .create();
        fake.seed().agentSettings(bot).suspended(true).apply(); // as PATCH /v1/agents/{id}
        // readme:end seeding

        assertThat(p.jti()).isNotBlank();
        assertThat(fake.passportClaims(p.jti())).containsKey("stk");
        assertThat(fake.isRevoked(p.jti()))
                .as("suspending the agent revokes its passports")
                .isTrue();
    }
}

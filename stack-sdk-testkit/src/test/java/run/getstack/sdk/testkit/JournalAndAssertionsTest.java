package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class JournalAndAssertionsTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    @Test
    void journalRecordsRequestsWithoutSecrets(FakeControlPlane fake) {
        String agent = fake.seed()
                .newAgent("journaled")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        fake.seed().grant(agent, fake.seed().connection("openai", "sk-j", "chat"), "chat");
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        new Http(fake)
                .passport(p.token())
                .header("Idempotency-Key", "k1")
                .header("User-Agent", "stack-sdk-java/0.1.0")
                .get("/v1/credentials/openai");
        JournalEntry e = fake.journal().last();
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/v1/credentials/openai");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.passportJti()).isEqualTo(p.jti());
        assertThat(e.at()).isEqualTo(fake.clock().instant());
        assertThat(e.headers().get("user-agent")).isEqualTo("stack-sdk-java/0.1.0");
        assertThat(e.headers().toString()).doesNotContain(fake.operatorApiKey()).doesNotContain(p.token());
        assertThat(e.toString()).doesNotContain(fake.operatorApiKey()).doesNotContain(p.token());
        assertThat(fake.journal().count("GET", "/v1/credentials/*")).isEqualTo(1);
        fake.journal().clear();
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void assertionFailuresNameTheObject(FakeControlPlane fake) {
        assertThatThrownBy(() -> StackAssertions.assertThat(fake.auditLog()).hasEntry("passport.issue"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("passport.issue")
                .hasMessageContaining("audit log");
        assertThatThrownBy(() -> StackAssertions.assertThat(fake).hasAlert("credential_burst"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("credential_burst")
                .hasMessageContaining(fake.baseUrl());
        assertThatThrownBy(() -> StackAssertions.assertThat(fake.journal()).hasRequest("POST", "/v1/leases"))
                .hasMessageContaining("POST /v1/leases");
        new Http(fake).post("/v1/agents/register", Map.of("name", "asserted"));
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", "/v1/agents/register", 1);
        StackAssertions.assertThat(fake.auditLog())
                .hasEntry("agent.register", "success")
                .hasValidChain();
        assertThatThrownBy(() -> StackAssertions.assertThat(fake.auditLog()).hasEntry("agent.register", "failure"))
                .hasMessageContaining("outcome <failure>");
    }

    @Test
    void resetBetweenTestsInPerClassModeLeavesNoState(FakeControlPlane fake) {
        // whichever test runs first, the other tests' state must not be visible here
        assertThat(new Http(fake).get("/v1/agents").json().path("agents").size())
                .isLessThanOrEqualTo(0);
        assertThat(fake.faults().rules()).isEmpty();
        assertThat(fake.journal().count("*", "/**")).isEqualTo(1);
    }
}

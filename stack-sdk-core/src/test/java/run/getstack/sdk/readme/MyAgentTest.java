package run.getstack.sdk.readme;

// readme:begin junit
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class MyAgentTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK)); // or perTest()

    @Test
    void holdsAFreshPassportOnTheFakesClock(FakeControlPlane fake) {
        String agent = fake.seed().agent("research-bot", "enforced"); // default: logged
        String openai = fake.seed().connection("openai", "sk-test-123", "chat");
        fake.seed().grant(agent, openai, "chat");

        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey()) // a test may; an agent process uses agentKeyFile
                .agentId(agent)
                .clock(CLOCK) // the SDK must run on the fake's clock, or its passports look expired
                .passportRequest(PassportRequest.builder()
                        .intent(Intent.of("Answer support questions", List.of("openai")))
                        .build())
                .build()) {

            Passport first = stack.passport().current();
            assertThat(first.lifetime()).isEqualTo(Duration.ofMinutes(5)); // enforced: the checkpoint interval

            CLOCK.advance(Duration.ofMinutes(4)); // past the refresh point: no sleeping
            Passport second = stack.passport().current();
            assertThat(second.jti()).isNotEqualTo(first.jti());
        }

        StackAssertions.assertThat(fake.auditLog()).hasEntry("passport.refresh").hasValidChain();
        StackAssertions.assertThat(fake).hasNoAlerts();
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", "/v1/missions", 1);
    }
}
// readme:end junit

package run.getstack.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.revocation.internal.RevocationFollower;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Against hosted STACK ({@code stackV1Only()}: the feed answers 404) the follower asks {@code POST
 * /v1/passports/verify} for the passport it holds, once per bound: the revocation is refused within the bound, and
 * the request count at the fake shows never more than one verify per jti per bound.
 */
class StackV1PollingTest {
    final TestClock clock = TestClock.create();
    FakeControlPlane fake;
    ManualTaskScheduler scheduler;
    StackClient holder;
    StackClient operator;

    @BeforeEach
    void setUp() {
        fake = FakeControlPlane.builder().clock(clock).stackV1Only().start();
        String agent = fake.seed()
                .newAgent("hosted-bot")
                .mode(run.getstack.sdk.testkit.AccountabilityMode.STANDARD)
                .credentialAccess(run.getstack.sdk.testkit.CredentialAccess.DIRECT) // reads credentials
                .create();
        String openai = fake.seed().connection("openai", "sk-test-hosted", "chat");
        fake.seed().grant(agent, openai, "chat");
        scheduler = new ManualTaskScheduler(clock);
        StackClient.Builder b = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled());
        holder = ClientTestHooks.scheduler(b, scheduler).build();
        operator = ClientTestHooks.withoutRevocationFollower(StackClient.builder()
                        .baseUrl(fake.baseUrl())
                        .apiKey(fake.operatorApiKey())
                        .clock(clock))
                .build();
    }

    @AfterEach
    void tearDown() {
        holder.close();
        operator.close();
        fake.close();
    }

    int verifies() {
        return fake.journal().count("POST", "/v1/passports/verify");
    }

    @Test
    void pollsVerifyOncePerBoundAndRefusesARevokedPassportWithinTheBound() {
        Passport held = holder.passport().current();
        scheduler.runDue();
        RevocationFollower f = ClientTestHooks.revocationFollower(holder);
        assertThat(f.mode()).isEqualTo(RevocationFollower.Mode.POLLING);
        assertThat(fake.journal().count("GET", "/v1/revocations"))
                .as("asked the feed once")
                .isEqualTo(1);
        int first = verifies();
        assertThat(first).isEqualTo(1);

        for (int i = 0; i < 5; i++) {
            holder.credentials().get("openai");
            clock.advance(Duration.ofSeconds(10));
            scheduler.runDue();
        }
        clock.advance(Duration.ofSeconds(9));
        scheduler.runDue();
        holder.credentials().get("openai");
        assertThat(verifies()).as("no second verify within the bound").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1)); // 60 s after the first
        scheduler.runDue();
        assertThat(verifies()).isEqualTo(2);

        operator.passports().revoke(held.jti(), "hosted revoke");
        clock.advance(Duration.ofSeconds(30));
        scheduler.runDue();
        assertThat(holder.passport().current().jti())
                .as("not known yet: the next verify is due 60 s after the last")
                .isEqualTo(held.jti());
        clock.advance(Duration.ofSeconds(30));
        scheduler.runDue();

        assertThat(verifies()).isEqualTo(3);
        int credentialCalls = fake.journal().count("GET", "/v1/credentials/{provider}");
        assertThatThrownBy(() -> holder.credentials().get("openai")).isInstanceOf(StackPassportRevokedException.class);
        assertThat(fake.journal().count("GET", "/v1/credentials/{provider}"))
                .as("refused locally")
                .isEqualTo(credentialCalls);
        assertThatThrownBy(() -> holder.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        List<Instant> at = fake.journal().entries("POST", "/v1/passports/verify").stream()
                .map(JournalEntry::at)
                .toList();
        for (int i = 1; i < at.size(); i++) {
            assertThat(Duration.between(at.get(i - 1), at.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        }
        assertThat(fake.journal().count("GET", "/v1/revocations"))
                .as("the feed is not retried")
                .isEqualTo(1);
    }
}

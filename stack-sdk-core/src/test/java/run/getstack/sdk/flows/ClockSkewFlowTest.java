package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static run.getstack.sdk.flows.FlowSupport.REFRESH;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The agent's own passport when the client's clock is behind the control plane's: the holder times its refresh
 * on its own clock, corrected by the skew it reads from the server's {@code Date} (wire protocol §1.1).
 */
class ClockSkewFlowTest {
    static final Duration SKEW = Duration.ofMinutes(7);
    static final TestClock SERVER = TestClock.at(TestClock.DEFAULT_START.plus(SKEW));
    static final TestClock CLIENT = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(SERVER));

    private static void advance(Duration d) {
        SERVER.advance(d);
        CLIENT.advance(d);
    }

    @Test
    void aClientSevenMinutesBehindRefreshesAtThreeQuartersOfTheLifetimeOnItsOwnClock(FakeControlPlane fake) {
        String agent = fake.seed().agent("skewed-bot", "standard");
        try (StackClient client = FlowSupport.client(fake, CLIENT, agent).build()) {
            Passport first = client.passport().current();
            assertThat(first.expiresAt())
                    .as("the server's time")
                    .isEqualTo(SERVER.instant().plusSeconds(900));
            assertThat(client.passport().expiresAt()).contains(CLIENT.instant().plusSeconds(900));

            advance(Duration.ofSeconds(674));
            assertThat(client.passport().current()).isSameAs(first);
            StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 0);

            advance(Duration.ofSeconds(1));
            Passport second = client.passport().current();
            assertThat(second.jti()).isNotEqualTo(first.jti());
            StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", REFRESH, 1);
            assertThat(client.passport().expiresAt()).contains(CLIENT.instant().plusSeconds(900));
        }
    }
}

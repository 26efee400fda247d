package run.getstack.sdk.lease.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FaultRule;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Closing the client with many leases and an unreachable control plane finishes within the close budget (on the
 * client's clock): the release in flight is cut at what is left of it, the rest are not attempted, and every lease
 * is reported unreleased. The budget is shortened through the package-private seam so no long real wait is needed.
 */
class CloseReleaseDeadlineTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private Harness h;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        String agent = fake.seed()
                .newAgent("closing-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        String openai = fake.seed().connection("openai", "sk-test-close-deadline", "chat");
        fake.seed().grant(agent, openai, "chat");
        h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK);
    }

    @AfterEach
    void close() {
        fake.faults().clear();
        h.close();
    }

    @Test
    void closeWithHeldReleasesEndsWithinTheBudgetAndReportsEveryUnreleasedLease() throws Exception {
        List<Lease> leases = List.of(
                h.client.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofMinutes(5))),
                h.client.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofMinutes(6))),
                h.client.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofMinutes(7))));
        List<ClientEvent> released = new CopyOnWriteArrayList<>();
        ClientTestHooks.events(h.client).subscribe(e -> {
            if (e.action().equals("lease.released")) {
                released.add(e);
            }
        });
        ((DefaultLeases) h.client.leases()).closeBudget(Duration.ofMillis(300));
        FaultRule gate = fake.faults().on("DELETE", "/v1/leases/*").hold();

        Thread closing = new Thread(h.client::close);
        closing.setDaemon(true);
        closing.start();
        assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
        CLOCK.advance(Duration.ofSeconds(1)); // the budget is spent while the first release hangs
        closing.join(30_000);

        assertThat(closing.isAlive()).as("close returned").isFalse();
        assertThat(leases).allSatisfy(l -> assertThat(l.isLive()).isFalse());
        assertThat(gate.heldCount()).as("only the first release was sent").isEqualTo(1);
        assertThat(released).hasSize(3).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(ClientEvent.Outcome.FAILURE));
    }
}

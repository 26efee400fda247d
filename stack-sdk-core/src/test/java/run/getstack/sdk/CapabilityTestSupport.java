package run.getstack.sdk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Wiring for the credential, lease and proxy flows: a client of the fake acting for an agent, on the fake's clock,
 * with a manual scheduler, a fixed jitter (0.5: renewal exactly at 2/3 of the time left) and a sleeper that advances
 * the clock instead of sleeping. Every event the client publishes is recorded.
 */
public final class CapabilityTestSupport {
    /** The passport lives an hour, so leases of a few minutes are not capped by it unless a test wants that. */
    public static final PassportRequest HOUR_PASSPORT =
            PassportRequest.builder().ttl(Duration.ofHours(1)).build();

    private CapabilityTestSupport() {}

    /** A client and what the test controls. */
    public static final class Harness implements AutoCloseable {
        public final StackClient client;
        public final ManualTaskScheduler scheduler;
        public final List<ClientEvent> events = new CopyOnWriteArrayList<>();
        public final List<Duration> sleeps;

        Harness(StackClient client, ManualTaskScheduler scheduler, List<Duration> sleeps) {
            this.client = client;
            this.scheduler = scheduler;
            this.sleeps = sleeps;
            client.events().subscribe(events::add);
        }

        public List<String> actions() {
            return events.stream().map(ClientEvent::action).toList();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Starts a builder for the harness; {@code retries} false means {@link RetryPolicy#none()}. */
    public static StackClient.Builder builder(FakeControlPlane fake, TestClock clock, String agentId) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agentId)
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRequest(HOUR_PASSPORT)
                .passportRefreshPolicy(
                        PassportRefreshPolicy.builder().jitterFraction(0).build());
    }

    /** Builds the harness from a builder (scheduler, jitter and sleeper are set here). */
    public static Harness harness(StackClient.Builder b, TestClock clock) {
        ManualTaskScheduler scheduler = new ManualTaskScheduler(clock);
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        Sleeper sleeper = d -> {
            sleeps.add(d);
            clock.advance(d);
        };
        // these tests pin the scheduler's next task and count requests: the revocation follower (tested on its own
        // in run.getstack.sdk.revocation) stays out of them
        b.scheduler(scheduler).random(() -> 0.5).sleeper(sleeper).revocationFollower(false);
        return new Harness(b.build(), scheduler, sleeps);
    }
}

package run.getstack.sdk.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The watcher follows new events on the client's scheduler (driven by hand on the test clock). */
class SecurityEventWatcherTest {
    static final TestClock CLOCK = TestClock.create();
    static final Duration INTERVAL = SecurityEventWatch.DEFAULT_POLL_INTERVAL;

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private ManualTaskScheduler scheduler;
    private StackClient client;
    private EventSource source;
    private final Recorder seen = new Recorder();

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        scheduler = new ManualTaskScheduler(CLOCK);
        client = ClientTestHooks.scheduler(ApiTestSupport.client(fake, CLOCK), scheduler)
                .build();
        source = new EventSource(fake, "watched-bot");
    }

    @AfterEach
    void close() {
        client.close();
    }

    private void tick() {
        CLOCK.advance(INTERVAL);
        scheduler.runDue();
    }

    @Test
    void deliversOnlyEventsRaisedAfterItStartedOldestFirst() {
        source.raise(3);
        SecurityEventWatcher w = client.securityEvents().watch(SecurityEventWatch.defaults(), seen);
        scheduler.runDue();
        assertThat(seen.events).isEmpty();
        assertThat(w.watermark()).contains(CLOCK.instant());

        source.raise(2); // same millisecond as the three before: told apart by id
        tick();
        CLOCK.advance(Duration.ofMillis(1));
        source.raise(1);
        tick();

        assertThat(seen.events).hasSize(3);
        assertThat(seen.events).isSortedAccordingTo((a, b) -> a.createdAt().compareTo(b.createdAt()));
        assertThat(seen.events).extracting(SecurityEvent::id).doesNotHaveDuplicates();
        List<String> newestFirst = client.securityEvents().list().stream()
                .map(SecurityEvent::id)
                .limit(3)
                .toList();
        assertThat(seen.events).extracting(SecurityEvent::id).containsExactlyInAnyOrderElementsOf(newestFirst);
        assertThat(w.watermark()).contains(seen.events.get(2).createdAt());
        w.close();
    }

    @Test
    void existingEventsAreDeliveredWhenAskedFor() {
        source.raise(4);

        client.securityEvents().watch(SecurityEventWatch.defaults().includeExisting(true), seen);
        scheduler.runDue();
        tick();

        assertThat(seen.events).hasSize(4);
    }

    @Test
    void anEventResolvedBetweenPollsIsStillDelivered() {
        client.securityEvents().watch(SecurityEventWatch.defaults(), seen);
        scheduler.runDue();
        source.raise(1);
        SecurityEvent e = client.securityEvents().list().iterator().next();
        client.securityEvents().resolve(e.id(), "seen it");

        tick();

        assertThat(seen.events).extracting(SecurityEvent::id).containsExactly(e.id());
    }

    @Test
    void moreNewEventsThanTheCapAreReportedAsAGap() {
        client.securityEvents().watch(SecurityEventWatch.defaults().maxEventsPerPoll(2), seen);
        scheduler.runDue();
        source.raise(5);

        tick();
        tick();

        assertThat(seen.events).hasSize(2);
        assertThat(seen.gaps).containsExactly(2);
    }

    @Test
    void aFailedPollIsReportedAndTheWatcherGoesOn() {
        client.securityEvents().watch(SecurityEventWatch.defaults(), seen);
        scheduler.runDue();
        source.raise(1);
        fake.faults().on("GET", "/v1/security-events").failTimes(1, 503);

        tick();
        assertThat(seen.errors).hasSize(1);
        assertThat(seen.events).isEmpty();
        tick();

        assertThat(seen.events).hasSize(1);
    }

    @Test
    void closingTheWatcherOrTheClientStopsThePolls() {
        SecurityEventWatcher w = client.securityEvents().watch(SecurityEventWatch.defaults(), seen);
        scheduler.runDue();
        tick();
        int polls = fake.journal().count("GET", "/v1/security-events");

        w.close();
        tick();
        tick();

        assertThat(w.isRunning()).isFalse();
        assertThat(fake.journal().count("GET", "/v1/security-events")).isEqualTo(polls);

        SecurityEventWatcher w2 = client.securityEvents().watch(SecurityEventWatch.defaults(), seen);
        client.close();
        assertThat(w2.isRunning()).isFalse();
    }

    static final class Recorder implements SecurityEventListener {
        final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
        final List<StackException> errors = new CopyOnWriteArrayList<>();
        final List<Integer> gaps = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(SecurityEvent event) {
            events.add(event);
        }

        @Override
        public void onError(StackException error) {
            errors.add(error);
        }

        @Override
        public void onGap(int delivered) {
            gaps.add(delivered);
        }
    }
}

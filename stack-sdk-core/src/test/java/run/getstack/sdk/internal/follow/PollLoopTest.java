package run.getstack.sdk.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackNetworkException;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.testkit.time.TestClock;

/** The one poll loop: regular delays, jittered exponential backoff capped at 30 s, reset on success, close. */
class PollLoopTest {
    private final TestClock clock = TestClock.create();
    private final ManualTaskScheduler scheduler = new ManualTaskScheduler(clock);

    private static StackNetworkException down() {
        return new StackNetworkException("down", null, null);
    }

    @Test
    void backoffDoublesFromOneSecondUpToThirtyInTheUpperHalfOfEachStep() {
        PollLoop top = new PollLoop("t", scheduler, () -> Duration.ZERO, (e, n) -> {}, Duration.ZERO, () -> 0.999999);
        PollLoop bottom = new PollLoop("t", scheduler, () -> Duration.ZERO, (e, n) -> {}, Duration.ZERO, () -> 0.0);
        assertThat(top.backoff(0)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(bottom.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(top.backoff(1)).isBetween(Duration.ofMillis(1999), Duration.ofSeconds(2));
        assertThat(top.backoff(4)).isBetween(Duration.ofMillis(15_999), Duration.ofSeconds(16));
        assertThat(top.backoff(5)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
        assertThat(top.backoff(60)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
        assertThat(bottom.backoff(60)).isEqualTo(Duration.ofSeconds(15));
        PollLoop broken = new PollLoop("t", scheduler, () -> Duration.ZERO, (e, n) -> {}, Duration.ZERO, () -> 7.0);
        assertThat(broken.backoff(0))
                .as("a random source out of range is not trusted")
                .isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void failuresBackOffUntilASuccessResetsTheBackoff() {
        AtomicInteger polls = new AtomicInteger();
        List<Duration> told = new ArrayList<>();
        int[] failFirst = {3};
        PollLoop loop = new PollLoop(
                "t",
                scheduler,
                () -> {
                    polls.incrementAndGet();
                    if (failFirst[0]-- > 0) {
                        throw down();
                    }
                    return Duration.ofSeconds(5);
                },
                (e, next) -> told.add(next),
                Duration.ZERO,
                () -> 0.999999);
        loop.start();
        scheduler.runDue();
        assertThat(told).hasSize(1);
        clock.advance(Duration.ofMillis(998));
        assertThat(scheduler.runDue()).as("not before the first backoff").isZero();
        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();
        clock.advance(Duration.ofSeconds(2));
        scheduler.runDue();
        assertThat(told).hasSize(3);
        assertThat(told.get(2)).isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(4));
        scheduler.runDue();
        assertThat(polls).hasValue(4);
        assertThat(scheduler.nextDue()).isEqualTo(clock.instant().plusSeconds(5));
    }

    @Test
    void aFailureNeverPollsSoonerThanTheFloor() {
        List<Duration> told = new ArrayList<>();
        PollLoop loop = new PollLoop(
                "t",
                scheduler,
                () -> {
                    throw down();
                },
                (e, next) -> told.add(next),
                Duration.ofSeconds(10),
                () -> 0.5);
        loop.start();
        scheduler.runDue();
        assertThat(told).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void closeCancelsThePendingPollAndRunsTheCancelHookOnce() {
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        PollLoop loop = new PollLoop(
                "t",
                scheduler,
                () -> {
                    polls.incrementAndGet();
                    return Duration.ofSeconds(1);
                },
                (e, n) -> {},
                Duration.ZERO);
        loop.start();
        loop.start(); // idempotent
        scheduler.runDue();
        loop.cancelOnClose(cancelled::incrementAndGet);
        loop.close();
        clock.advance(Duration.ofSeconds(5));
        assertThat(scheduler.runDue()).isZero();
        assertThat(polls).hasValue(1);
        assertThat(cancelled).hasValue(1);
        assertThat(loop.isRunning()).isFalse();
        loop.cancelOnClose(cancelled::incrementAndGet);
        assertThat(cancelled)
                .as("a request started after close is cancelled at once")
                .hasValue(2);
        loop.start();
        assertThat(scheduler.runDue()).as("a closed loop does not restart").isZero();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheLoop() {
        AtomicInteger polls = new AtomicInteger();
        PollLoop loop = new PollLoop(
                "t",
                scheduler,
                () -> {
                    if (polls.incrementAndGet() == 1) {
                        throw down();
                    }
                    return Duration.ofSeconds(1);
                },
                (e, n) -> {
                    throw new IllegalStateException("listener bug");
                },
                Duration.ofSeconds(1),
                () -> 0.0);
        loop.start();
        scheduler.runDue();
        clock.advance(Duration.ofSeconds(1));
        scheduler.runDue();
        assertThat(polls).hasValue(2);
        assertThat(loop.isRunning()).isTrue();
        scheduler.close();
        assertThat(loop.isRunning()).isFalse();
    }
}

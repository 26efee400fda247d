package run.getstack.sdk.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.MutableClock;
import run.getstack.sdk.StackInterruptedException;

class RefreshAheadCacheTest {
    private final MutableClock clock = MutableClock.create();
    private final AtomicInteger fetches = new AtomicInteger();

    private RefreshAheadCache.RefreshResult<String> result(String v) {
        Instant now = clock.instant();
        return new RefreshAheadCache.RefreshResult<>(v, now.plusSeconds(60), now.plusSeconds(100));
    }

    private RefreshAheadCache<String> cache(RefreshAheadCache.Fetcher<String> fetcher) {
        return new RefreshAheadCache<>(
                fetcher, clock, e -> e instanceof IllegalStateException, (n, left) -> Duration.ofSeconds(10));
    }

    @Test
    void aPrefetchTimeAfterTheStaleTimeIsClampedToIt() {
        Instant t = Instant.EPOCH;
        assertThat(new RefreshAheadCache.RefreshResult<>("v", t.plusSeconds(9), t.plusSeconds(5)).prefetchTime())
                .isEqualTo(t.plusSeconds(5));
    }

    @Test
    void aFirstFetchFailureIsRepeatedWithoutARequestUntilTheBackoffHasPassed() {
        RefreshAheadCache<String> c = cache(cur -> {
            fetches.incrementAndGet();
            throw new IllegalArgumentException("down");
        });
        assertThatThrownBy(c::get).hasMessage("down");
        assertThatThrownBy(c::get).hasMessage("down");
        assertThat(fetches).hasValue(1);
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(c::get).hasMessage("down");
        assertThat(fetches).hasValue(2);
        assertThat(c.lastFailure()).hasMessage("down");
    }

    @Test
    void aTerminationDuringAFetchDiscardsItsResult() throws Exception {
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RefreshAheadCache<String> c = cache(cur -> {
            inFetch.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result("fresh");
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                c.get();
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        t.start();
        assertThat(inFetch.await(30, TimeUnit.SECONDS)).isTrue();
        c.terminate(new IllegalStateException("revoked"));
        release.countDown();
        t.join();

        assertThat(thrown.get()).hasMessage("revoked");
        assertThatThrownBy(c::get).hasMessage("revoked");
        assertThat(c.peek()).isNull();
    }

    @Test
    void aTerminalFailureFromTheFetcherEndsTheCacheEvenInThePrefetchWindow() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = cache(cur -> {
            if (calls.incrementAndGet() == 1) {
                return result("v1");
            }
            throw new IllegalStateException("revoked");
        });
        assertThat(c.get()).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(61));
        assertThatThrownBy(c::get).hasMessage("revoked");
        assertThatThrownBy(c::get).hasMessage("revoked");
        assertThat(calls).hasValue(2);
    }

    @Test
    void setReplacesTheValueAndClearsTheFailureState() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = cache(cur -> {
            calls.incrementAndGet();
            return result("fetched");
        });
        c.set(result("pushed"));
        assertThat(c.get()).isEqualTo("pushed");
        assertThat(calls).hasValue(0);
        assertThat(c.peek()).isNotNull();
    }

    @Test
    void anInterruptWhileWaitingForAnotherCallersFetchStopsAtOnce() throws Exception {
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RefreshAheadCache<String> c = cache(cur -> {
            inFetch.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result("v");
        });
        Thread fetcher = new Thread(c::get);
        fetcher.start();
        assertThat(inFetch.await(30, TimeUnit.SECONDS)).isTrue();

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                c.get();
            } catch (RuntimeException e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        while (waiter.isAlive()) {
            waiter.interrupt();
            waiter.join(50);
        }
        release.countDown();
        fetcher.join();
        assertThat(thrown.get()).isInstanceOf(StackInterruptedException.class);
        assertThat(flag.get()).isTrue();
    }

    @Test
    void theExponentialBackoffStaysWithinHalfTheTimeLeft() {
        RefreshAheadCache.Backoff b =
                RefreshAheadCache.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999);
        assertThat(b.next(1, Duration.ZERO)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(b.next(10, Duration.ZERO)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(b.next(10, Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(4));
    }
}

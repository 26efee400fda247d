package run.getstack.sdk.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.internal.cache.RefreshAheadCache.CacheInvalidatingException;
import run.getstack.sdk.internal.cache.RefreshAheadCache.RefreshResult;
import run.getstack.sdk.testkit.time.TestClock;

class RefreshAheadCacheTest {
    private static final int THREADS = 64;
    private static final Duration PREFETCH_AFTER = Duration.ofSeconds(100);
    private static final Duration STALE_AFTER = Duration.ofSeconds(200);
    private static final Duration BACKOFF = Duration.ofSeconds(10);

    private final TestClock clock = TestClock.at(Instant.ofEpochSecond(1_000_000));
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    /** A fetcher that counts calls, returns "v1", "v2", ... and can be gated or made to fail per call. */
    private final class Fetcher implements Supplier<RefreshResult<String>> {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile int gateFromCall = Integer.MAX_VALUE;
        volatile RuntimeException failure;

        @Override
        public RefreshResult<String> get() {
            int n = calls.incrementAndGet();
            if (n >= gateFromCall) {
                entered.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
            Instant now = clock.instant();
            return RefreshResult.of("v" + n, now.plus(PREFETCH_AFTER), now.plus(STALE_AFTER));
        }

        void gateFrom(int call) {
            gate = new CountDownLatch(1);
            gateFromCall = call;
        }
    }

    private final Fetcher fetcher = new Fetcher();
    private final RefreshAheadCache<String> cache = RefreshAheadCache.create(fetcher, clock, BACKOFF);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void firstGetFetchesAndLaterGetsBeforePrefetchTimeUseTheCachedValue() {
        assertThat(cache.get()).isEqualTo("v1");
        clock.advance(PREFETCH_AFTER.minusSeconds(1));
        assertThat(cache.get()).isEqualTo("v1");
        assertThat(fetcher.calls).hasValue(1);
    }

    @Test
    void afterPrefetchTimeOneCallerRefreshesWhileAllOthersGetTheCurrentValue() throws Exception {
        cache.get();
        clock.advance(PREFETCH_AFTER);
        fetcher.gateFrom(2);
        Future<String> refresher = pool.submit(cache::get);
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();

        List<Future<String>> others = new ArrayList<>();
        for (int i = 0; i < THREADS - 1; i++) {
            others.add(pool.submit(cache::get));
        }
        for (Future<String> f : others) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
        }
        assertThat(refresher.isDone()).isFalse();
        fetcher.gate.countDown();
        assertThat(refresher.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        assertThat(fetcher.calls).hasValue(2);
        assertThat(cache.get()).isEqualTo("v2");
    }

    @Test
    void afterStaleTimeEveryCallerWaitsForOneSharedFetch() throws Exception {
        cache.get();
        clock.advance(STALE_AFTER);
        fetcher.gateFrom(2);
        List<Future<String>> callers = startCallers(THREADS);
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
        awaitQueued(THREADS - 1);
        for (Future<String> f : callers) {
            assertThat(f.isDone()).isFalse();
        }
        fetcher.gate.countDown();
        for (Future<String> f : callers) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        }
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void anEmptyCacheFetchesOnceForManyConcurrentCallers() throws Exception {
        fetcher.gateFrom(1);
        List<Future<String>> callers = startCallers(THREADS);
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
        fetcher.gate.countDown();
        for (Future<String> f : callers) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
        }
        assertThat(fetcher.calls).hasValue(1);
    }

    @Test
    void aFailedRefreshAfterStaleTimeIsSharedByEveryWaitingCaller() throws Exception {
        cache.get();
        clock.advance(STALE_AFTER);
        IllegalStateException down = new IllegalStateException("source down");
        fetcher.failure = down;
        fetcher.gateFrom(2);
        List<Future<String>> callers = startCallers(THREADS);
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
        fetcher.gate.countDown();
        for (Future<String> f : callers) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCause(down);
        }
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void aFailedPrefetchKeepsServingTheCurrentValueAndRetriesOnlyAfterTheBackoff() {
        cache.get();
        clock.advance(PREFETCH_AFTER);
        fetcher.failure = new IllegalStateException("source down");
        assertThat(cache.get()).isEqualTo("v1");
        assertThat(fetcher.calls).hasValue(2);

        clock.advance(BACKOFF.minusSeconds(1));
        assertThat(cache.get()).isEqualTo("v1");
        assertThat(fetcher.calls).hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        fetcher.failure = null;
        assertThat(cache.get()).isEqualTo("v3");
        assertThat(fetcher.calls).hasValue(3);
    }

    @Test
    void aFailedRefreshAfterStaleTimePropagatesAndIsNotRetriedWithinTheBackoff() {
        cache.get();
        clock.advance(STALE_AFTER);
        IllegalStateException down = new IllegalStateException("source down");
        fetcher.failure = down;
        assertThatThrownBy(cache::get).isSameAs(down);
        assertThatThrownBy(cache::get).isSameAs(down);
        assertThat(fetcher.calls).hasValue(2);

        clock.advance(BACKOFF);
        assertThatThrownBy(cache::get).isSameAs(down);
        assertThat(fetcher.calls).hasValue(3);

        clock.advance(BACKOFF);
        fetcher.failure = null;
        assertThat(cache.get()).isEqualTo("v4");
    }

    @Test
    void aCacheInvalidatingErrorDuringPrefetchPropagatesAndDropsTheValue() {
        cache.get();
        clock.advance(PREFETCH_AFTER);
        IllegalStateException revoked = new IllegalStateException("revoked");
        fetcher.failure = new CacheInvalidatingException(revoked);
        assertThatThrownBy(cache::get).isSameAs(revoked);
        assertThat(cache.peek()).isNull();

        fetcher.failure = null;
        assertThat(cache.get()).isEqualTo("v3");
    }

    @Test
    void aCacheInvalidatingErrorOnAnEmptyCachePropagatesItsCause() {
        IllegalStateException revoked = new IllegalStateException("revoked");
        fetcher.failure = new CacheInvalidatingException(revoked);
        assertThatThrownBy(cache::get).isSameAs(revoked);
        assertThat(cache.peek()).isNull();
    }

    @Test
    void refreshFetchesAtOnceEvenWhenTheValueIsFresh() {
        cache.get();
        assertThat(cache.refresh()).isEqualTo("v2");
        assertThat(cache.get()).isEqualTo("v2");
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void aFailedRefreshPropagatesButKeepsTheCurrentValueForGet() {
        cache.get();
        IllegalStateException down = new IllegalStateException("source down");
        fetcher.failure = down;
        assertThatThrownBy(cache::refresh).isSameAs(down);
        assertThat(cache.get()).isEqualTo("v1");
    }

    @Test
    void concurrentRefreshCallsQueuedBehindAFetchShareItsOutcome() throws Exception {
        cache.get();
        fetcher.gateFrom(2);
        Future<String> first = pool.submit(cache::refresh);
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> callers = new ArrayList<>();
        for (int i = 0; i < THREADS - 1; i++) {
            callers.add(pool.submit(cache::refresh));
        }
        awaitQueued(THREADS - 1);
        fetcher.gate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        for (Future<String> f : callers) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        }
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void refreshIfIdleForFetchesAtMostOncePerInterval() {
        cache.get();
        Duration interval = Duration.ofSeconds(30);
        assertThat(cache.refreshIfIdleFor(interval, Duration.ofSeconds(30))).isEqualTo("v1");
        assertThat(fetcher.calls).hasValue(1);
        clock.advance(interval);
        assertThat(cache.refreshIfIdleFor(interval, Duration.ofSeconds(30))).isEqualTo("v2");
        assertThat(cache.refreshIfIdleFor(interval, Duration.ofSeconds(30))).isEqualTo("v2");
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void refreshIfIdleForCallersArrivingDuringAFetchWaitForItsValue() throws Exception {
        cache.get();
        Duration interval = Duration.ofSeconds(30);
        clock.advance(interval);
        fetcher.gateFrom(2);
        Future<String> first = pool.submit(() -> cache.refreshIfIdleFor(interval, Duration.ofSeconds(30)));
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> callers = new ArrayList<>();
        for (int i = 0; i < THREADS - 1; i++) {
            callers.add(pool.submit(() -> cache.refreshIfIdleFor(interval, Duration.ofSeconds(30))));
        }
        awaitQueued(THREADS - 1);
        fetcher.gate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        for (Future<String> f : callers) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        }
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void refreshIfIdleForWaitsAtMostMaxWaitForAFetchInFlightWhileAValueIsServable() throws Exception {
        cache.get();
        Duration interval = Duration.ofSeconds(30);
        clock.advance(interval);
        fetcher.gateFrom(2);
        Future<String> first = pool.submit(() -> cache.refreshIfIdleFor(interval, Duration.ofSeconds(30)));
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();

        // the fetch is held at the gate: this caller is answered with the current value instead of queueing
        assertThat(cache.refreshIfIdleFor(interval, Duration.ZERO)).isEqualTo("v1");

        fetcher.gate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        assertThat(fetcher.calls).hasValue(2);
    }

    @Test
    void aCallerWaitingForARefreshIsInterruptible() throws Exception {
        fetcher.gateFrom(1);
        Future<String> first = pool.submit(cache::get);
        assertThat(fetcher.entered.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                cache.get();
            } catch (RuntimeException e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(StackInterruptedException.class);
        assertThat(flag.get()).isTrue();

        fetcher.gate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
        assertThat(fetcher.calls).hasValue(1);
    }

    /** A cache whose first fetch blocks until its caller is interrupted, then throws the typed interrupt. */
    private RefreshAheadCache<String> cacheWhoseFirstFetchWaitsForAnInterrupt(
            AtomicInteger calls, CountDownLatch entered) {
        CountDownLatch never = new CountDownLatch(1);
        return RefreshAheadCache.create(
                () -> {
                    int n = calls.incrementAndGet();
                    if (n == 1) {
                        entered.countDown();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new StackInterruptedException("interrupted while fetching", null, e);
                        }
                    }
                    Instant now = clock.instant();
                    return RefreshResult.of("v" + n, now.plus(PREFETCH_AFTER), now.plus(STALE_AFTER));
                },
                clock,
                BACKOFF);
    }

    /** Starts a thread calling {@code get()}; returns it after recording what it threw and its interrupt flag. */
    private static Thread caller(
            RefreshAheadCache<String> c, AtomicReference<Throwable> thrown, AtomicReference<Boolean> flag) {
        Thread t = new Thread(() -> {
            try {
                c.get();
            } catch (RuntimeException e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        return t;
    }

    @Test
    void aFetchEndedByItsOwnCallersInterruptIsNotSharedWithTheCallersWaitingForIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        RefreshAheadCache<String> c = cacheWhoseFirstFetchWaitsForAnInterrupt(calls, entered);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread fetching = caller(c, thrown, flag);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        Future<String> waiter = pool.submit(c::get);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.queuedCallers() < 1) {
            assertThat(System.nanoTime()).as("waiter queued").isLessThan(deadline);
            Thread.onSpinWait();
        }

        fetching.interrupt();
        fetching.join(10_000);
        assertThat(thrown.get()).isInstanceOf(StackInterruptedException.class);
        assertThat(flag.get()).isTrue();
        assertThat(waiter.get(10, TimeUnit.SECONDS))
                .as("the waiter was not interrupted: it fetches instead of sharing another thread's interrupt")
                .isEqualTo("v2");
        assertThat(c.lastFailure()).isNull();
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFetchEndedByItsCallersInterruptLeavesNoBackoffTheNextCallerFetchesAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        RefreshAheadCache<String> c = cacheWhoseFirstFetchWaitsForAnInterrupt(calls, entered);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread fetching = caller(c, thrown, flag);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        fetching.interrupt();
        fetching.join(10_000);
        assertThat(thrown.get()).isInstanceOf(StackInterruptedException.class);

        assertThat(c.retryNotBefore()).isNull();
        assertThat(c.get()).isEqualTo("v2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void invalidateMakesTheNextGetFetch() {
        cache.get();
        cache.invalidate();
        assertThat(cache.peek()).isNull();
        assertThat(cache.get()).isEqualTo("v2");
    }

    @Test
    void aPrefetchTimeAfterTheStaleTimeIsClampedToIt() {
        Instant now = clock.instant();
        assertThat(RefreshResult.of("x", now.plusSeconds(9), now.plusSeconds(5)).prefetchTime())
                .isEqualTo(now.plusSeconds(5));
    }

    // --- terminal failures, set() and the backoff (the passport holder's needs) ---

    private RefreshResult<String> result(String v) {
        Instant now = clock.instant();
        return RefreshResult.of(v, now.plusSeconds(60), now.plusSeconds(100));
    }

    private RefreshAheadCache<String> terminalCache(RefreshAheadCache.Fetcher<String> f) {
        return RefreshAheadCache.create(
                f, clock, (n, left) -> Duration.ofSeconds(10), e -> e instanceof IllegalStateException);
    }

    @Test
    void theFetcherSeesTheValueItReplaces() {
        List<String> seen = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> {
            seen.add(String.valueOf(cur));
            return result("v" + calls.incrementAndGet());
        });
        assertThat(c.get()).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(101));
        assertThat(c.get()).isEqualTo("v2");
        assertThat(seen).containsExactly("null", "v1");
    }

    @Test
    void aFirstFetchFailureIsRepeatedWithoutARequestUntilTheBackoffHasPassed() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("down");
        });
        assertThatThrownBy(c::get).hasMessage("down");
        assertThatThrownBy(c::get).hasMessage("down");
        assertThat(calls).hasValue(1);
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(c::get).hasMessage("down");
        assertThat(calls).hasValue(2);
        assertThat(c.lastFailure()).hasMessage("down");
        assertThat(c.fetchCount()).isEqualTo(2);
    }

    @Test
    void aTerminationDuringAFetchDiscardsItsResult() throws Exception {
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RefreshAheadCache<String> c = terminalCache(cur -> {
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
        assertThat(c.peekResult()).isNull();
        assertThat(c.terminalFailure()).hasMessage("revoked");
    }

    @Test
    void aTerminalFailureFromTheFetcherEndsTheCacheEvenInThePrefetchWindow() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> {
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
    void setReplacesTheValueWithoutAFetch() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> {
            calls.incrementAndGet();
            return result("fetched");
        });
        c.set(result("pushed"));
        assertThat(c.get()).isEqualTo("pushed");
        assertThat(calls).hasValue(0);
        assertThat(c.peekResult()).isNotNull();
    }

    @Test
    void aFailedPrefetchWaitsForTheBackoffBeforeTheNextAttempt() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> {
            if (calls.incrementAndGet() == 1) {
                return result("v1");
            }
            throw new IllegalArgumentException("blip");
        });
        assertThat(c.get()).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(61));
        assertThat(c.get()).isEqualTo("v1"); // failed prefetch, value still good
        assertThat(c.get()).isEqualTo("v1"); // inside the backoff: no new attempt
        assertThat(calls).hasValue(2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(c.get()).isEqualTo("v1");
        assertThat(calls).hasValue(3);
    }

    @Test
    void setIfLeavesANewerValueAlone() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> result("v" + calls.incrementAndGet()));
        assertThat(c.get()).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(101));
        assertThat(c.get()).isEqualTo("v2");

        assertThat(c.setIf("v1"::equals, result("v1-resigned"))).isFalse();
        assertThat(c.get()).isEqualTo("v2");
        assertThat(c.setIf("v2"::equals, result("v2-resigned"))).isTrue();
        assertThat(c.get()).isEqualTo("v2-resigned");
    }

    @Test
    void aValueStaleOnArrivalIsNeverServedAndNotRefetchedBeforeTheBackoff() {
        AtomicInteger calls = new AtomicInteger();
        RefreshAheadCache<String> c = terminalCache(cur -> {
            calls.incrementAndGet();
            Instant now = clock.instant();
            return RefreshResult.of("dead", now.minusSeconds(10), now.minusSeconds(1));
        });
        assertThatThrownBy(c::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("stale");
        assertThatThrownBy(c::get).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
        assertThat(c.peek()).isNull();
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(c::get).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void theExponentialBackoffStaysWithinHalfTheTimeLeft() {
        RefreshAheadCache.Backoff b =
                RefreshAheadCache.Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999);
        assertThat(b.next(1, Duration.ZERO)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(b.next(10, Duration.ZERO)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(b.next(10, Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void toStringShowsTheScheduleNotTheValue() {
        cache.get();
        assertThat(cache.toString()).contains("staleTime").doesNotContain("v1");
    }

    /** Waits (without sleeping on time) until n callers are queued for the cache's lock. */
    private void awaitQueued(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.queuedCallers() < n) {
            assertThat(System.nanoTime()).as("callers queued").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private List<Future<String>> startCallers(int n) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            callers.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return cache.get();
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        return callers;
    }

    @Test
    void invalidateIfDropsOnlyTheValueThatPassesTheTest() {
        Fetcher f = new Fetcher();
        RefreshAheadCache<String> cache = RefreshAheadCache.create(f, clock, BACKOFF);
        assertThat(cache.get()).isEqualTo("v1");
        assertThat(cache.invalidateIf("v0"::equals)).isFalse();
        assertThat(cache.get()).isEqualTo("v1");
        assertThat(f.calls.get()).isEqualTo(1);
        assertThat(cache.invalidateIf("v1"::equals)).isTrue();
        assertThat(cache.peek()).isNull();
        assertThat(cache.get()).isEqualTo("v2");
    }

    @Test
    void nextRefreshAtIsThePrefetchTimeOrLaterWhileAFailedPrefetchBacksOff() {
        Fetcher f = new Fetcher();
        RefreshAheadCache<String> cache = RefreshAheadCache.create(f, clock, BACKOFF);
        assertThat(cache.nextRefreshAt()).isNull();
        Instant t0 = clock.instant();
        cache.get();
        assertThat(cache.nextRefreshAt()).isEqualTo(t0.plus(PREFETCH_AFTER));
        assertThat(cache.retryNotBefore()).isNull();
        clock.advance(PREFETCH_AFTER);
        f.failure = new IllegalStateException("down");
        assertThat(cache.get()).isEqualTo("v1"); // the failed prefetch keeps serving
        assertThat(cache.retryNotBefore()).isEqualTo(clock.instant().plus(BACKOFF));
        assertThat(cache.nextRefreshAt()).isEqualTo(clock.instant().plus(BACKOFF));
    }
}

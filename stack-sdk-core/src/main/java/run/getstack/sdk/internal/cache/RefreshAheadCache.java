package run.getstack.sdk.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackInterruptedException;

/**
 * Internal, not for public use. A single cached value that its fetcher refreshes ahead of time, in the shape of AWS
 * SDK v2's {@code CachedSupplier}: the fetcher returns the value together with the instant from which it should be
 * refreshed ({@link RefreshResult#prefetchTime()}) and the instant from which it must no longer be served
 * ({@link RefreshResult#staleTime()}).
 *
 * <ul>
 *   <li>Before the prefetch time {@link #get()} returns the cached value without locking.
 *   <li>Between prefetch and stale time exactly one caller refreshes while every other caller gets the current
 *       value at once. A failed prefetch keeps serving the current value and is not retried before
 *       the {@link Backoff} allows.
 *   <li>With no value, or from the stale time on, every caller waits for one refresh (single flight): callers that
 *       waited while another caller's fetch ran share its outcome, value or failure, instead of fetching again.
 *       After a failed refresh, callers within the backoff get the same failure without a new fetch.
 *   <li>A fetcher that throws {@link CacheInvalidatingException} drops the cached value; its cause propagates even
 *       during prefetch. Such errors are never hidden behind the old value.
 *   <li>A failure the {@code terminal} predicate accepts (a revoked passport, say) ends the cache for good, as does
 *       {@link #terminate(RuntimeException)}: every later {@link #get()} throws it, and a fetch that completes after
 *       termination is discarded.
 *   <li>After a failed fetch the next attempt waits for the {@link Backoff}, which sees how many failures came in a
 *       row and how much time is left before the value goes stale, so retries are timed from the time left, never
 *       from the value's full lifetime.
 * </ul>
 *
 * <p>All time decisions use the injected {@link Clock}. Waiting for the lock is interruptible: an interrupted caller
 * gets a {@link StackInterruptedException} with the interrupt flag restored. A fetch that ends in a {@link
 * StackInterruptedException} (its caller was interrupted) is not a failure of the source: it is not recorded, starts
 * no backoff and is not shared with the callers waiting for it; the next of them fetches (during a prefetch the
 * interrupted caller is served the current value). No monitor is held while the fetcher
 * runs (a {@link ReentrantLock} serialises fetches), so virtual threads are not pinned. The fetcher runs on the
 * calling thread; this class creates no threads. Thread-safe.
 *
 * @param <T> the cached value
 */
public final class RefreshAheadCache<T> {

    /** Default time a failed prefetch waits before the next attempt. */
    public static final Duration DEFAULT_FAILURE_BACKOFF = Duration.ofSeconds(10);

    /**
     * Internal, not for public use. What a fetch produced: the value and when to refresh it.
     *
     * @param <T> the value type
     */
    public static final class RefreshResult<T> {
        private final T value;
        private final Instant prefetchTime;
        private final Instant staleTime;

        private RefreshResult(T value, Instant prefetchTime, Instant staleTime) {
            this.value = Objects.requireNonNull(value, "value");
            this.staleTime = Objects.requireNonNull(staleTime, "staleTime");
            // a prefetch time past the stale time means "no prefetch window": refresh when stale
            this.prefetchTime =
                    Objects.requireNonNull(prefetchTime, "prefetchTime").isAfter(staleTime) ? staleTime : prefetchTime;
        }

        /**
         * Creates a result.
         *
         * @param value the fetched value
         * @param prefetchTime from when one caller should refresh ahead
         * @param staleTime from when the value must not be served any more (not before {@code prefetchTime})
         * @param <T> the value type
         * @return the result
         */
        public static <T> RefreshResult<T> of(T value, Instant prefetchTime, Instant staleTime) {
            return new RefreshResult<>(value, prefetchTime, staleTime);
        }

        /**
         * Returns the value.
         *
         * @return the value
         */
        public T value() {
            return value;
        }

        /**
         * Returns the instant from which one caller refreshes ahead.
         *
         * @return the prefetch time
         */
        public Instant prefetchTime() {
            return prefetchTime;
        }

        /**
         * Returns the instant from which the value is not served any more.
         *
         * @return the stale time
         */
        public Instant staleTime() {
            return staleTime;
        }
    }

    /**
     * Internal, not for public use. Thrown by a fetcher for an error the cache must never hide: the cached value is
     * dropped and the cause propagates to the caller.
     */
    public static final class CacheInvalidatingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param cause the error to propagate (rethrown as is when unchecked)
         */
        public CacheInvalidatingException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Internal, not for public use. Produces a fresh value.
     *
     * @param <T> the value type
     */
    @FunctionalInterface
    public interface Fetcher<T> {
        /**
         * Fetches.
         *
         * @param current the value being replaced (stale or not), or null when there is none
         * @return the new value and its times
         */
        RefreshResult<T> fetch(@Nullable T current);
    }

    /** Internal, not for public use. How long to wait before the next attempt after a failed fetch. */
    @FunctionalInterface
    public interface Backoff {
        /**
         * Computes the wait.
         *
         * @param consecutiveFailures failures in a row, at least 1
         * @param timeLeft time until the current value goes stale (zero when it is stale or absent)
         * @return the wait, not negative
         */
        Duration next(int consecutiveFailures, Duration timeLeft);

        /**
         * A fixed wait.
         *
         * @param wait the wait after every failure
         * @return the backoff
         */
        static Backoff fixed(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("failureBackoff must not be negative");
            }
            return (n, left) -> wait;
        }

        /**
         * An exponential wait: {@code min(cap, base * 2^(n-1))} scaled by a factor in [0.5, 1) from {@code random},
         * and never more than half the time left when some is left, so that several attempts happen before the value
         * goes stale.
         *
         * @param base the first wait
         * @param cap the longest wait
         * @param random uniform doubles in [0, 1)
         * @return the backoff
         */
        static Backoff exponential(Duration base, Duration cap, DoubleSupplier random) {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(random, "random");
            return (n, left) -> {
                long baseMs = base.toMillis();
                long upper = n >= 31 ? cap.toMillis() : Math.min(cap.toMillis(), baseMs << Math.min(n - 1, 30));
                double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
                long ms = (long) (upper * (0.5 + 0.5 * r));
                if (left.compareTo(Duration.ZERO) > 0) {
                    ms = Math.min(ms, left.toMillis() / 2);
                }
                return Duration.ofMillis(Math.max(0, ms));
            };
        }
    }

    /** The current value and its schedule; replaced as a whole. */
    private static final class State<T> {
        final RefreshResult<T> result;
        /** No prefetch before this (a failed prefetch pushes it back). */
        final Instant nextPrefetch;

        State(RefreshResult<T> result, Instant nextPrefetch) {
            this.result = result;
            this.nextPrefetch = nextPrefetch;
        }
    }

    private final Fetcher<T> fetcher;
    private final Clock clock;
    private final Backoff backoff;
    private final Predicate<RuntimeException> terminal;
    private final ReentrantLock lock = new ReentrantLock();

    /** Set once; from then on every {@link #get()} throws it. */
    private volatile @Nullable RuntimeException terminalFailure;

    /** Fetches started, for tests and health. */
    private final AtomicLong fetches = new AtomicLong();

    /** Failures in a row; written under the lock. */
    private int consecutiveFailures;

    private volatile @Nullable State<T> state;

    /** Incremented (under the lock) after every completed fetch attempt. */
    private final AtomicLong attempts = new AtomicLong();

    /** The failure of the last attempt, null after a success; written under the lock. */
    private volatile @Nullable RuntimeException lastFailure;

    /** When the last fetch attempt started; written under the lock. */
    private volatile @Nullable Instant lastAttemptStart;

    /** No fetch by {@link #get()} before this after a failure, null after a success; written under the lock. */
    private volatile @Nullable Instant retryNotBefore;

    private RefreshAheadCache(Fetcher<T> fetcher, Clock clock, Backoff backoff, Predicate<RuntimeException> terminal) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
    }

    /**
     * Creates a cache with {@link #DEFAULT_FAILURE_BACKOFF}.
     *
     * @param fetcher produces a fresh value; may throw, see the class description
     * @param clock the clock for every time decision
     * @param <T> the value type
     * @return the cache, empty until the first {@link #get()}
     */
    public static <T> RefreshAheadCache<T> create(Supplier<RefreshResult<T>> fetcher, Clock clock) {
        return create(fetcher, clock, DEFAULT_FAILURE_BACKOFF);
    }

    /**
     * Creates a cache.
     *
     * @param fetcher produces a fresh value; may throw, see the class description
     * @param clock the clock for every time decision
     * @param failureBackoff how long after a failed fetch no new fetch is attempted by {@link #get()}
     * @param <T> the value type
     * @return the cache, empty until the first {@link #get()}
     */
    public static <T> RefreshAheadCache<T> create(
            Supplier<RefreshResult<T>> fetcher, Clock clock, Duration failureBackoff) {
        Objects.requireNonNull(fetcher, "fetcher");
        return new RefreshAheadCache<>(current -> fetcher.get(), clock, Backoff.fixed(failureBackoff), e -> false);
    }

    /**
     * Creates a cache whose fetcher sees the value it replaces, with a failure backoff and failures that end it.
     *
     * @param fetcher produces a fresh value from the current one; may throw, see the class description
     * @param clock the clock for every time decision
     * @param backoff the wait after a failed fetch
     * @param terminal which fetch failures end the cache for good
     * @param <T> the value type
     * @return the cache, empty until the first {@link #get()}
     */
    public static <T> RefreshAheadCache<T> create(
            Fetcher<T> fetcher, Clock clock, Backoff backoff, Predicate<RuntimeException> terminal) {
        return new RefreshAheadCache<>(fetcher, clock, backoff, terminal);
    }

    /**
     * Returns the cached value, refreshing it as the class description says.
     *
     * @return a value that is not stale
     * @throws RuntimeException the terminal failure, what the fetcher threw when a refresh was required and failed
     *     (the cause of a {@link CacheInvalidatingException}), or {@link StackInterruptedException}
     */
    public T get() {
        RuntimeException t = terminalFailure;
        if (t != null) {
            throw t;
        }
        State<T> s = state;
        if (s != null) {
            Instant now = clock.instant();
            if (now.isBefore(s.result.prefetchTime())) {
                return s.result.value();
            }
            if (now.isBefore(s.result.staleTime())) {
                if (now.isBefore(s.nextPrefetch) || !lock.tryLock()) {
                    return s.result.value();
                }
                try {
                    return prefetchLocked();
                } finally {
                    lock.unlock();
                }
            }
        }
        return refreshBlocking(false, attempts.get());
    }

    /**
     * Fetches a new value now, whatever the schedule, unless another fetch completed while this caller waited for
     * the lock (then its outcome is shared). Callers rate-limit this themselves.
     *
     * @return the new value
     * @throws RuntimeException what the fetcher threw; a failure keeps the current value for {@link #get()}
     */
    public T refresh() {
        return refreshBlocking(true, attempts.get());
    }

    /**
     * Fetches a new value unless a fetch started less than {@code minInterval} ago; lets callers with a reason to
     * doubt the cached value (an unknown key id, say) refresh at a bounded rate. A caller that arrives while a fetch
     * runs waits for it and shares its outcome, but while a servable value exists it waits at most {@code maxWait}
     * and then gets that value: a flood of such callers cannot pile up behind a slow source. A rate-limited caller
     * gets what {@link #get()} gives.
     *
     * @param minInterval the least time between the starts of two fetches caused by this method
     * @param maxWait the longest wait for a fetch in flight while a servable value exists
     * @return the new, just refreshed or current value
     * @throws RuntimeException what the fetcher threw when this caller's fetch failed (the current value stays
     *     for {@link #get()}), or what {@link #get()} throws
     */
    public T refreshIfIdleFor(Duration minInterval, Duration maxWait) {
        long seen = attempts.get();
        if (recentlyStarted(minInterval) && !lock.isLocked()) {
            return get(); // rate-limited and no fetch in flight: no need to queue
        }
        if (peekResult() == null) {
            lockInterruptibly(); // nothing to serve meanwhile: wait for the fetch
        } else if (!tryLockInterruptibly(maxWait)) {
            return get(); // a fetch is taking long: serve what we have
        }
        try {
            if (attempts.get() != seen) {
                RuntimeException failure = lastFailure;
                State<T> s = state;
                if (failure != null) {
                    throw failure;
                }
                if (s != null) {
                    return s.result.value();
                }
            }
            if (!recentlyStarted(minInterval)) {
                return fetchLocked();
            }
        } finally {
            lock.unlock();
        }
        return get();
    }

    private boolean tryLockInterruptibly(Duration maxWait) {
        try {
            return lock.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while waiting for a refresh", null, e);
        }
    }

    private boolean recentlyStarted(Duration minInterval) {
        Instant last = lastAttemptStart;
        return last != null && clock.instant().isBefore(last.plus(minInterval));
    }

    /**
     * Returns the cached value without refreshing or checking any time.
     *
     * @return the value, or null when nothing has been fetched (or it was invalidated)
     */
    public @Nullable T peek() {
        State<T> s = state;
        return s == null ? null : s.result.value();
    }

    /**
     * Drops the cached value if it passes a test, checked under the lock: a newer value fetched meanwhile stays.
     *
     * @param onlyIf the test the current value must pass
     * @return whether the value was dropped
     */
    public boolean invalidateIf(Predicate<T> onlyIf) {
        Objects.requireNonNull(onlyIf, "onlyIf");
        lock.lock();
        try {
            State<T> s = state;
            if (s == null || !onlyIf.test(s.result.value())) {
                return false;
            }
            state = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns when {@link #get()} will next fetch: the prefetch time, or later while a failed prefetch backs off.
     *
     * @return the instant, or null when there is no value (the next {@link #get()} fetches)
     */
    public @Nullable Instant nextRefreshAt() {
        State<T> s = state;
        if (s == null || terminalFailure != null) {
            return null;
        }
        Instant p = s.result.prefetchTime();
        return s.nextPrefetch.isAfter(p) ? s.nextPrefetch : p;
    }

    /**
     * Returns until when, after a failed fetch, {@link #get()} shares that failure instead of fetching again.
     *
     * @return the instant, or null after a success
     */
    public @Nullable Instant retryNotBefore() {
        return retryNotBefore;
    }

    /** Drops the cached value; the next {@link #get()} fetches. */
    public void invalidate() {
        lock.lock();
        try {
            state = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the cached value and its times without fetching, if it may still be served.
     *
     * @return the result, or null when there is none, it is stale, or the cache was terminated
     */
    public @Nullable RefreshResult<T> peekResult() {
        State<T> s = state;
        if (terminalFailure != null || s == null || !clock.instant().isBefore(s.result.staleTime())) {
            return null;
        }
        return s.result;
    }

    /**
     * Replaces the value from outside (a re-signed passport returned by a checkpoint, say). Ignored once terminated.
     *
     * @param result the new value and its times
     */
    public void set(RefreshResult<T> result) {
        Objects.requireNonNull(result, "result");
        lock.lock();
        try {
            if (terminalFailure == null) {
                state = new State<>(result, result.prefetchTime());
                consecutiveFailures = 0;
                lastFailure = null;
                retryNotBefore = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the value only if the current one passes a test, checked under the lock: a fetch that completed in
     * the meantime (a newer value) is not overwritten. Ignored once terminated.
     *
     * @param onlyIf the test the current value must pass
     * @param result the new value and its times
     * @return whether the value was replaced
     */
    public boolean setIf(Predicate<T> onlyIf, RefreshResult<T> result) {
        Objects.requireNonNull(onlyIf, "onlyIf");
        Objects.requireNonNull(result, "result");
        lock.lock();
        try {
            State<T> s = state;
            if (terminalFailure != null || s == null || !onlyIf.test(s.result.value())) {
                return false;
            }
            state = new State<>(result, result.prefetchTime());
            consecutiveFailures = 0;
            lastFailure = null;
            retryNotBefore = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the cache for good: the value is dropped at once and every later {@link #get()} throws {@code failure}.
     * Does not wait for a fetch in flight; its result is discarded.
     *
     * @param failure the failure to report; the first one given wins
     */
    public void terminate(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        if (terminalFailure == null) {
            terminalFailure = failure;
        }
        state = null;
    }

    /**
     * Returns the failure that ended the cache.
     *
     * @return the terminal failure, or null while the cache is live
     */
    public @Nullable RuntimeException terminalFailure() {
        return terminalFailure;
    }

    /**
     * Returns the failure of the last fetch.
     *
     * @return the failure, or null when the last fetch succeeded or none ran
     */
    public @Nullable RuntimeException lastFailure() {
        return lastFailure;
    }

    /**
     * Returns how many fetches were started.
     *
     * @return the count
     */
    public long fetchCount() {
        return fetches.get();
    }

    /** Callers queued for the lock (an estimate; for tests). */
    int queuedCallers() {
        return lock.getQueueLength();
    }

    private T prefetchLocked() {
        State<T> s = state;
        Instant now = clock.instant();
        if (s == null || !now.isBefore(s.result.staleTime())) {
            return fetchLocked();
        }
        if (now.isBefore(s.result.prefetchTime()) || now.isBefore(s.nextPrefetch)) {
            return s.result.value(); // another caller refreshed meanwhile
        }
        try {
            return fetchLocked();
        } catch (RuntimeException e) {
            if (state == null || terminalFailure != null) {
                throw e; // the fetcher invalidated the value, or it ended the cache: never hidden
            }
            // keep serving the current value; the next prefetch attempt waits for the backoff
            Instant next = retryNotBefore;
            state = new State<>(s.result, next == null ? now : next);
            return s.result.value();
        }
    }

    private T refreshBlocking(boolean force, long seen) {
        lockInterruptibly();
        try {
            RuntimeException t = terminalFailure;
            if (t != null) {
                throw t;
            }
            State<T> s = state;
            Instant now = clock.instant();
            @Nullable T usable = s != null && now.isBefore(s.result.staleTime()) ? s.result.value() : null;
            RuntimeException failure = lastFailure;
            if (attempts.get() != seen) {
                // another caller's fetch completed while this one waited: share its outcome
                if (failure == null && s != null) {
                    return s.result.value();
                }
                if (!force && usable != null) {
                    return usable;
                }
                if (failure != null) {
                    throw failure;
                }
            }
            if (!force) {
                if (usable != null) {
                    return usable;
                }
                Instant notBefore = retryNotBefore;
                if (failure != null && notBefore != null && now.isBefore(notBefore)) {
                    throw failure; // a refresh just failed: do not hammer the source
                }
            }
            return fetchLocked();
        } finally {
            lock.unlock();
        }
    }

    private void lockInterruptibly() {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while waiting for a refresh", null, e);
        }
    }

    /** Runs the fetcher; the caller holds the lock. */
    private T fetchLocked() {
        Instant started = clock.instant();
        lastAttemptStart = started;
        fetches.incrementAndGet();
        State<T> before = state;
        RefreshResult<T> result;
        try {
            result = Objects.requireNonNull(
                    fetcher.fetch(before == null ? null : before.result.value()), "fetcher returned null");
        } catch (StackInterruptedException e) {
            // the fetching caller's own interrupt, not the source's failure: nothing is recorded, so the callers
            // waiting for this fetch neither share it nor back off from it; the next one fetches
            throw e;
        } catch (CacheInvalidatingException e) {
            state = null;
            RuntimeException cause = unwrap(e);
            recordFailure(cause, null);
            retryNotBefore = null; // shared with the callers that waited, but the next caller fetches at once
            throw cause;
        } catch (RuntimeException e) {
            if (terminal.test(e)) {
                terminate(e);
                recordFailure(e, null);
                throw e;
            }
            recordFailure(e, before);
            throw e;
        } catch (Error e) {
            recordFailure(new IllegalStateException("fetcher failed", e), before);
            throw e;
        }
        if (!clock.instant().isBefore(result.staleTime())) {
            // never serve a value that is stale on arrival, and do not fetch again at once either
            IllegalStateException stale = new IllegalStateException(
                    "the fetched value was already stale (stale time " + result.staleTime() + ")");
            recordFailure(stale, before);
            throw stale;
        }
        RuntimeException t = terminalFailure;
        if (t != null) {
            // terminated while this fetch was in flight: the fresh value must not be served
            attempts.incrementAndGet();
            throw t;
        }
        state = new State<>(result, result.prefetchTime());
        RuntimeException late = terminalFailure;
        if (late != null) {
            // terminate() ran between the check above and the write: undo it
            state = null;
            attempts.incrementAndGet();
            throw late;
        }
        consecutiveFailures = 0;
        lastFailure = null;
        retryNotBefore = null;
        attempts.incrementAndGet();
        return result.value();
    }

    private void recordFailure(RuntimeException failure, @Nullable State<T> before) {
        consecutiveFailures++;
        lastFailure = failure;
        Instant now = clock.instant();
        Duration left = before == null || !now.isBefore(before.result.staleTime())
                ? Duration.ZERO
                : Duration.between(now, before.result.staleTime());
        Duration wait = backoff.next(consecutiveFailures, left);
        retryNotBefore = now.plus(wait.isNegative() ? Duration.ZERO : wait);
        attempts.incrementAndGet();
    }

    private static RuntimeException unwrap(CacheInvalidatingException e) {
        Throwable cause = e.getCause();
        return cause instanceof RuntimeException runtime ? runtime : e;
    }

    @Override
    public String toString() {
        State<T> s = state;
        return "RefreshAheadCache{"
                + (s == null
                        ? "empty"
                        : "prefetchTime=" + s.result.prefetchTime() + ", staleTime=" + s.result.staleTime())
                + ", terminated=" + (terminalFailure != null)
                + '}';
    }
}

package run.getstack.sdk.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackInterruptedException;

/**
 * Internal, not for public use. A value that expires, kept fresh by its own fetcher (the shape of the AWS SDK's
 * {@code CachedSupplier}): each fetch returns the value with a <em>prefetch time</em> (refresh from then on) and a
 * <em>stale time</em> (never serve it from then on).
 *
 * <ul>
 *   <li>Before the prefetch time {@link #get()} returns the cached value without locking.
 *   <li>Between prefetch and stale time one caller (the one that wins a {@code tryLock}) fetches while it waits; all
 *       other callers get the current value at once. A failed fetch is remembered: the value keeps being served and
 *       the next attempt waits for the backoff the failure handler returns (computed from the time left, so retries
 *       keep happening before the value goes stale).
 *   <li>With no value, or from the stale time on, callers queue on the lock and exactly one fetches; those queued
 *       behind it take the fresh value, or, if it failed, the same failure without another request until the
 *       backoff has passed. A stale value is never returned.
 *   <li>A failure the {@code terminal} predicate accepts (a revoked passport, say) is never hidden: the value is
 *       dropped at once and every later call throws that failure, with no further fetch. {@link #terminate} does
 *       the same from outside.
 * </ul>
 *
 * <p>No thread is created; no monitor is held during a fetch (a {@link ReentrantLock} is, interruptibly). Thread-safe.
 *
 * @param <T> the cached value
 */
public final class RefreshAheadCache<T> {
    /**
     * Internal, not for public use. A fetched value and its two times.
     *
     * @param <T> the value type
     */
    public static final class RefreshResult<T> {
        private final T value;
        private final Instant prefetchTime;
        private final Instant staleTime;

        /**
         * Creates a result.
         *
         * @param value the value
         * @param prefetchTime when to start refreshing
         * @param staleTime when the value must no longer be served
         */
        public RefreshResult(T value, Instant prefetchTime, Instant staleTime) {
            this.value = Objects.requireNonNull(value, "value");
            this.staleTime = Objects.requireNonNull(staleTime, "staleTime");
            Objects.requireNonNull(prefetchTime, "prefetchTime");
            this.prefetchTime = prefetchTime.isAfter(staleTime) ? staleTime : prefetchTime;
        }

        /** @return the value */
        public T value() {
            return value;
        }

        /** @return when refreshing starts */
        public Instant prefetchTime() {
            return prefetchTime;
        }

        /** @return when the value must no longer be served */
        public Instant staleTime() {
            return staleTime;
        }
    }

    /**
     * Internal, not for public use. Fetches a new value.
     *
     * @param <T> the value type
     */
    @FunctionalInterface
    public interface Fetcher<T> {
        /**
         * Fetches.
         *
         * @param current the value being replaced, or null on the first fetch
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
         * @param timeLeft time until the current value goes stale (zero or negative when it is stale or absent)
         * @return the wait, not negative
         */
        Duration next(int consecutiveFailures, Duration timeLeft);
    }

    private final Fetcher<T> fetcher;
    private final Clock clock;
    private final Predicate<RuntimeException> terminal;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong fetches = new AtomicLong();

    private volatile @Nullable RefreshResult<T> current;
    private volatile @Nullable RuntimeException terminalFailure;
    private volatile @Nullable RuntimeException lastFailure;
    private volatile @Nullable Instant nextAttempt;
    private int consecutiveFailures;

    /**
     * Creates a cache.
     *
     * @param fetcher fetches values
     * @param clock the client's clock
     * @param terminal which failures end the cache for good
     * @param backoff the wait after a failed fetch
     */
    public RefreshAheadCache(Fetcher<T> fetcher, Clock clock, Predicate<RuntimeException> terminal, Backoff backoff) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Returns a value that is not stale, fetching as described in the class comment.
     *
     * @return the value
     * @throws RuntimeException the terminal failure, or the fetch failure when no servable value exists
     * @throws StackInterruptedException if interrupted while waiting for another caller's fetch
     */
    public T get() {
        RuntimeException t = terminalFailure;
        if (t != null) {
            throw t;
        }
        RefreshResult<T> r = current;
        Instant now = clock.instant();
        if (r != null && now.isBefore(r.prefetchTime())) {
            return r.value();
        }
        if (r != null && now.isBefore(r.staleTime())) {
            return prefetch(r);
        }
        return blockingRefresh();
    }

    /**
     * Returns the cached result without fetching, if it is not stale.
     *
     * @return the result, or null
     */
    public @Nullable RefreshResult<T> peek() {
        RefreshResult<T> r = current;
        if (terminalFailure != null || r == null || !clock.instant().isBefore(r.staleTime())) {
            return null;
        }
        return r;
    }

    /**
     * Replaces the value from outside (for example a re-signed passport returned by a checkpoint).
     *
     * @param result the new value and times
     */
    public void set(RefreshResult<T> result) {
        Objects.requireNonNull(result, "result");
        lock.lock();
        try {
            if (terminalFailure == null) {
                current = result;
                consecutiveFailures = 0;
                lastFailure = null;
                nextAttempt = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the cache for good: the value is dropped and every later {@link #get()} throws {@code failure}.
     *
     * @param failure the failure to report
     */
    public void terminate(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        // no lock: a fetch in flight must not delay this; its result is discarded when it sees the failure
        if (terminalFailure == null) {
            terminalFailure = failure;
        }
        current = null;
    }

    /** @return the terminal failure, or null while the cache is live */
    public @Nullable RuntimeException terminalFailure() {
        return terminalFailure;
    }

    /** @return the last fetch failure since the last success, or null */
    public @Nullable RuntimeException lastFailure() {
        return lastFailure;
    }

    /** @return how many fetches were started */
    public long fetchCount() {
        return fetches.get();
    }

    private T prefetch(RefreshResult<T> seen) {
        if (!lock.tryLock()) {
            return seen.value();
        }
        try {
            RuntimeException t = terminalFailure;
            if (t != null) {
                throw t;
            }
            RefreshResult<T> r = current;
            Instant now = clock.instant();
            if (r == null || !now.isBefore(r.staleTime())) {
                // went stale meanwhile: fall through to the blocking path after unlocking
                return refreshLocked(r, now);
            }
            if (r != seen || now.isBefore(r.prefetchTime())) {
                return r.value();
            }
            Instant wait = nextAttempt;
            if (wait != null && now.isBefore(wait)) {
                return r.value();
            }
            try {
                return doFetch(r, now);
            } catch (RuntimeException e) {
                if (terminalFailure != null || !clock.instant().isBefore(r.staleTime())) {
                    throw e;
                }
                // a failed prefetch is not the caller's problem yet: the value is still good
                return r.value();
            }
        } finally {
            lock.unlock();
        }
    }

    private T blockingRefresh() {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while waiting for a refresh", null, e);
        }
        try {
            RuntimeException t = terminalFailure;
            if (t != null) {
                throw t;
            }
            RefreshResult<T> r = current;
            Instant now = clock.instant();
            if (r != null && now.isBefore(r.staleTime())) {
                // another caller refreshed while this one waited
                return r.value();
            }
            return refreshLocked(r, now);
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held and no servable value: fetch, or repeat the last failure inside its backoff. */
    private T refreshLocked(@Nullable RefreshResult<T> r, Instant now) {
        Instant wait = nextAttempt;
        RuntimeException last = lastFailure;
        if (wait != null && last != null && now.isBefore(wait)) {
            throw last;
        }
        return doFetch(r, now);
    }

    private T doFetch(@Nullable RefreshResult<T> r, Instant now) {
        fetches.incrementAndGet();
        RefreshResult<T> fresh;
        try {
            fresh = Objects.requireNonNull(fetcher.fetch(r == null ? null : r.value()), "fetcher result");
        } catch (RuntimeException e) {
            if (terminal.test(e)) {
                terminate(e);
                throw e;
            }
            consecutiveFailures++;
            lastFailure = e;
            Duration left = r == null ? Duration.ZERO : Duration.between(now, r.staleTime());
            Duration d = backoff.next(consecutiveFailures, left);
            nextAttempt = clock.instant().plus(d.isNegative() ? Duration.ZERO : d);
            throw e;
        }
        RuntimeException t = terminalFailure;
        if (t != null) {
            // terminated while this fetch was in flight: the fresh value must not be served
            throw t;
        }
        current = fresh;
        consecutiveFailures = 0;
        lastFailure = null;
        nextAttempt = null;
        return fresh.value();
    }

    /**
     * A backoff for {@link Backoff}: {@code min(cap, base * 2^(n-1))} scaled by a factor in [0.5, 1) from
     * {@code random}, and never more than half the time left when some is left, so that several attempts happen
     * before the value goes stale.
     *
     * @param base the first wait
     * @param cap the longest wait
     * @param random uniform doubles in [0, 1)
     * @return the backoff
     */
    public static Backoff exponential(Duration base, Duration cap, java.util.function.DoubleSupplier random) {
        return (n, left) -> {
            long baseMs = base.toMillis();
            long upper = n >= 31 ? cap.toMillis() : Math.min(cap.toMillis(), baseMs << Math.min(n - 1, 30));
            long ms = (long) (upper * (0.5 + 0.5 * Math.min(Math.max(random.getAsDouble(), 0.0), 1.0)));
            if (left.compareTo(Duration.ZERO) > 0) {
                ms = Math.min(ms, left.toMillis() / 2);
            }
            return Duration.ofMillis(Math.max(0, ms));
        };
    }
}

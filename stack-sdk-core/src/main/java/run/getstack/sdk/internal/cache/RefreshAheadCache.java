package run.getstack.sdk.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 *       {@code failureBackoff} has passed.
 *   <li>With no value, or from the stale time on, every caller waits for one refresh (single flight): callers that
 *       waited while another caller's fetch ran share its outcome, value or failure, instead of fetching again.
 *       After a failed refresh, callers within {@code failureBackoff} get the same failure without a new fetch.
 *   <li>A fetcher that throws {@link CacheInvalidatingException} drops the cached value; its cause propagates even
 *       during prefetch. Such errors are never hidden behind the old value.
 * </ul>
 *
 * <p>All time decisions use the injected {@link Clock}. Waiting for the lock is interruptible: an interrupted caller
 * gets an {@link InterruptedRefreshException} with the interrupt flag restored. No monitor is held while the fetcher
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
            this.prefetchTime = Objects.requireNonNull(prefetchTime, "prefetchTime");
            this.staleTime = Objects.requireNonNull(staleTime, "staleTime");
            if (prefetchTime.isAfter(staleTime)) {
                throw new IllegalArgumentException("prefetchTime must not be after staleTime");
            }
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
     * Internal, not for public use. Thrown when a caller waiting for a refresh is interrupted; the interrupt flag is
     * set again.
     */
    public static final class InterruptedRefreshException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InterruptedRefreshException(InterruptedException cause) {
            super("interrupted while waiting for a refresh", cause);
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

    private final Supplier<RefreshResult<T>> fetcher;
    private final Clock clock;
    private final Duration failureBackoff;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile @Nullable State<T> state;

    /** Incremented (under the lock) after every completed fetch attempt. */
    private final AtomicLong attempts = new AtomicLong();

    /** The failure of the last attempt, null after a success; written under the lock. */
    private volatile @Nullable RuntimeException lastFailure;

    /** When the last fetch attempt started; written under the lock. */
    private volatile @Nullable Instant lastAttemptStart;

    /** When the last failed attempt ended, null after a success; written under the lock. */
    private volatile @Nullable Instant lastFailureAt;

    private RefreshAheadCache(Supplier<RefreshResult<T>> fetcher, Clock clock, Duration failureBackoff) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(failureBackoff, "failureBackoff");
        if (failureBackoff.isNegative()) {
            throw new IllegalArgumentException("failureBackoff must not be negative");
        }
        this.failureBackoff = failureBackoff;
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
        return new RefreshAheadCache<>(fetcher, clock, DEFAULT_FAILURE_BACKOFF);
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
        return new RefreshAheadCache<>(fetcher, clock, failureBackoff);
    }

    /**
     * Returns the cached value, refreshing it as the class description says.
     *
     * @return a value that is not stale
     * @throws RuntimeException what the fetcher threw when a refresh was required and failed (the cause of a
     *     {@link CacheInvalidatingException}), or {@link InterruptedRefreshException}
     */
    public T get() {
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
     * runs waits for it and shares its outcome; a rate-limited caller gets what {@link #get()} gives.
     *
     * @param minInterval the least time between the starts of two fetches caused by this method
     * @return the new, just refreshed or current value
     * @throws RuntimeException what the fetcher threw when this caller's fetch failed (the current value stays
     *     for {@link #get()}), or what {@link #get()} throws
     */
    public T refreshIfIdleFor(Duration minInterval) {
        long seen = attempts.get();
        if (recentlyStarted(minInterval) && !lock.isLocked()) {
            return get(); // rate-limited and no fetch in flight: no need to queue
        }
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedRefreshException(e);
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

    /** Drops the cached value; the next {@link #get()} fetches. */
    public void invalidate() {
        lock.lock();
        try {
            state = null;
        } finally {
            lock.unlock();
        }
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
            if (state == null) {
                throw e; // the fetcher invalidated the value: never hidden
            }
            // keep serving the current value; the next prefetch attempt waits for the backoff
            state = new State<>(s.result, now.plus(failureBackoff));
            return s.result.value();
        }
    }

    private T refreshBlocking(boolean force, long seen) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedRefreshException(e);
        }
        try {
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
                Instant failedAt = lastFailureAt;
                if (failure != null && failedAt != null && now.isBefore(failedAt.plus(failureBackoff))) {
                    throw failure; // a refresh just failed: do not hammer the source
                }
            }
            return fetchLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the fetcher; the caller holds the lock. */
    private T fetchLocked() {
        lastAttemptStart = clock.instant();
        RefreshResult<T> result;
        try {
            result = Objects.requireNonNull(fetcher.get(), "fetcher returned null");
        } catch (CacheInvalidatingException e) {
            state = null;
            RuntimeException cause = unwrap(e);
            recordAttempt(cause);
            lastFailureAt = null; // shared with the callers that waited, but the next caller fetches at once
            throw cause;
        } catch (RuntimeException e) {
            recordAttempt(e);
            throw e;
        } catch (Error e) {
            recordAttempt(new IllegalStateException("fetcher failed", e));
            throw e;
        }
        state = new State<>(result, result.prefetchTime());
        recordAttempt(null);
        return result.value();
    }

    private void recordAttempt(@Nullable RuntimeException failure) {
        lastFailure = failure;
        lastFailureAt = failure == null ? null : clock.instant();
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
                + ", failureBackoff=" + failureBackoff
                + '}';
    }
}

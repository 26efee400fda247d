package run.getstack.sdk.testkit.internal.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Internal, not for public use. Owns every resource's {@link Store}, the one lock that guards them, and the clock.
 * A reset asks each store to reset itself, so no list of fields is kept by hand. Waiting (the revocation feed) and
 * I/O (the proxy's upstream call) never happen while holding the lock, except {@link Condition#await} which
 * releases it.
 */
public final class FakeState {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Store> stores = new ArrayList<>();
    private final Clock clock;

    /**
     * Creates the state.
     *
     * @param clock the clock of every time decision
     */
    public FakeState(Clock clock) {
        this.clock = clock;
    }

    /**
     * Registers a store for reset.
     *
     * @param store the store
     * @param <S> its type
     * @return the store
     */
    public <S extends Store> S register(S store) {
        lock.lock();
        try {
            stores.add(store);
            return store;
        } finally {
            lock.unlock();
        }
    }

    /** Resets every store, in registration order, under the lock. */
    public void reset() {
        lock.lock();
        try {
            for (Store s : stores) {
                s.reset();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs under the lock.
     *
     * @param action the action
     * @param <T> result
     * @return its result
     */
    public <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs under the lock.
     *
     * @param action the action
     */
    public void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock (pair with {@link #unlock()} in {@code finally}). */
    public void lock() {
        lock.lock();
    }

    /** Releases the lock. */
    public void unlock() {
        lock.unlock();
    }

    /**
     * A condition of the lock, for waits that release it.
     *
     * @return a new condition
     */
    public Condition newCondition() {
        return lock.newCondition();
    }

    /**
     * The clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Now, on the fake's clock.
     *
     * @return the instant
     */
    public Instant now() {
        return clock.instant();
    }
}

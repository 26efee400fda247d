package run.getstack.sdk.lease.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseListener;
import run.getstack.sdk.lease.ManagedCredential;
import run.getstack.sdk.lease.StackLeaseRevokedException;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/**
 * A lease kept fresh on the client's scheduler: one task, due at the cache's next refresh point, asks the cache for
 * the current grant (which renews or replaces it there), swaps its hold on a rotation and tells the listener.
 */
final class DefaultManagedCredential implements ManagedCredential {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultManagedCredential.class);

    /** Never re-run sooner than this after a run (a guard against a busy loop on a broken schedule). */
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private final DefaultLeases manager;
    private final LeaseEntry entry;
    private final LeaseListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DefaultLease current;
    private TaskScheduler.@Nullable Cancellable task;
    private int failures;
    private boolean expiryTold;

    DefaultManagedCredential(DefaultLeases manager, LeaseEntry entry, DefaultLease first, LeaseListener listener) {
        this.manager = manager;
        this.entry = entry;
        this.current = first;
        this.listener = listener;
        lock.lock();
        try {
            scheduleNext();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Lease current() {
        return current;
    }

    @Override
    public Lease invalidate() {
        lock.lock();
        try {
            DefaultLease old = current;
            DefaultLease next = (DefaultLease) old.invalidate();
            rotate(old, next);
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** The task: runs on the scheduler. */
    private void run() {
        if (closed.get()) {
            return;
        }
        lock.lock();
        try {
            if (closed.get()) {
                return;
            }
            tick();
        } catch (RuntimeException e) {
            LOG.warn(
                    "managed lease task for {} failed: {}",
                    entry.request,
                    e.getClass().getName());
            failures++;
            scheduleAfterFailure();
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        DefaultLease held = current;
        long fetchesBefore = entry.cache().fetchCount();
        Grant g;
        try {
            g = entry.cache().get();
        } catch (StackException e) {
            boolean terminal = e instanceof StackPassportRevokedException
                    || e instanceof StackPassportCheckedOutException
                    || e instanceof StackLeaseRevokedException;
            Instant now = manager.now();
            if (!expiryTold && !now.isBefore(held.grant.localExpiry)) {
                expiryTold = true;
                tell(() -> listener.onExpired(held));
            }
            tell(() -> listener.onError(e, terminal));
            if (terminal) {
                stop();
                return;
            }
            failures++;
            scheduleAfterFailure();
            return;
        }
        if (g != held.grant) {
            if (!g.retain()) {
                failures++;
                scheduleAfterFailure();
                return;
            }
            rotate(held, new DefaultLease(g, manager));
        } else if (entry.cache().fetchCount() != fetchesBefore) {
            RuntimeException f = entry.cache().lastFailure();
            if (f instanceof StackException se) {
                tell(() -> listener.onError(se, false)); // a renewal failed: still served, retried with backoff
            } else {
                failures = 0;
            }
        }
        scheduleNext();
    }

    private void rotate(DefaultLease old, DefaultLease next) {
        current = next;
        failures = 0;
        expiryTold = false;
        tell(() -> listener.onRotation(old, next));
        old.close();
        scheduleNext();
    }

    private void tell(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn(
                    "a lease listener failed for {}: {}",
                    entry.request,
                    e.getClass().getName());
        }
    }

    private void scheduleNext() {
        Instant now = manager.now();
        Instant at = entry.cache().nextRefreshAt();
        Duration delay = at == null ? Duration.ZERO : Duration.between(now, at);
        if (delay.compareTo(MIN_INTERVAL) < 0) {
            delay = MIN_INTERVAL;
        }
        schedule(delay);
    }

    private void scheduleAfterFailure() {
        Duration left = Duration.between(manager.now(), current.grant.localExpiry);
        Duration wait = manager.backoff().next(Math.max(1, failures), left.isNegative() ? Duration.ZERO : left);
        Instant notBefore = entry.cache().retryNotBefore();
        if (notBefore != null) {
            Duration cacheWait = Duration.between(manager.now(), notBefore);
            if (cacheWait.compareTo(wait) > 0) {
                wait = cacheWait; // the cache would only share the last failure before then
            }
        }
        schedule(wait.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : wait);
    }

    private void schedule(Duration delay) {
        TaskScheduler.Cancellable t = task;
        if (t != null) {
            t.cancel();
        }
        if (closed.get() || manager.ctx().scheduler().isClosed()) {
            return;
        }
        try {
            task = manager.ctx().scheduler().schedule("lease-managed", delay, this::run);
        } catch (IllegalStateException e) {
            task = null; // the client is closing
        }
    }

    private void stop() {
        closed.set(true);
        TaskScheduler.Cancellable t = task;
        if (t != null) {
            t.cancel();
        }
        current.close();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed.get()) {
                stop();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManagedCredential{" + entry.request + ", current=" + current + ", closed=" + closed.get() + '}';
    }
}

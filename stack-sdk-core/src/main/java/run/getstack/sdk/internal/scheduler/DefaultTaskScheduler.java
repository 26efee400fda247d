package run.getstack.sdk.internal.scheduler;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link TaskScheduler}: one timer thread that only hands due tasks over, and a bounded pool of worker
 * threads that run them. Both are daemon threads, created on the first task (a client that never schedules anything
 * starts no thread), and named {@code stack-sdk-timer} and {@code stack-sdk-worker-N}.
 */
public final class DefaultTaskScheduler implements TaskScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTaskScheduler.class);

    /** Workers: enough for a long poll, an upload and renewals at once; idle workers end after 30 s. */
    static final int MAX_WORKERS = 8;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private @Nullable ScheduledThreadPoolExecutor timer;
    private @Nullable ThreadPoolExecutor workers;
    private final ThreadFactory threads;

    /** Creates a scheduler; no thread starts before the first task. */
    public DefaultTaskScheduler() {
        this(Thread::new);
    }

    /**
     * A scheduler whose threads come from {@code threads} (then named and made daemon here): a seam for tests that
     * must see exactly the threads of one scheduler, not every {@code stack-sdk-*} thread in the JVM.
     */
    DefaultTaskScheduler(ThreadFactory threads) {
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    @Override
    public Cancellable schedule(String name, Duration delay, Runnable task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: must not be negative, was " + delay);
        }
        Handle handle = new Handle(name, task);
        lock.lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException("the client is closed: cannot schedule " + name);
            }
            ThreadPoolExecutor w = workers();
            ScheduledThreadPoolExecutor t = timer();
            handle.timerFuture = t.schedule(() -> handle.dispatch(w), nanos(delay), TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
        return handle;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            if (timer != null) {
                timer.shutdownNow();
            }
            if (workers != null) {
                workers.shutdownNow();
            }
        } finally {
            lock.unlock();
        }
    }

    private ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = timer;
        if (t == null) {
            t = new ScheduledThreadPoolExecutor(1, daemon(threads, "stack-sdk-timer", false));
            t.setRemoveOnCancelPolicy(true);
            t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            timer = t;
        }
        return t;
    }

    private ThreadPoolExecutor workers() {
        ThreadPoolExecutor w = workers;
        if (w == null) {
            w = new ThreadPoolExecutor(
                    MAX_WORKERS,
                    MAX_WORKERS,
                    30,
                    TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(),
                    daemon(threads, "stack-sdk-worker-", true));
            w.allowCoreThreadTimeOut(true);
            workers = w;
        }
        return w;
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ThreadFactory daemon(ThreadFactory threads, String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = threads.newThread(r);
            t.setName(numbered ? name + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Handle implements Cancellable {
        private final String name;
        private final Runnable task;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicReference<@Nullable Future<?>> running = new AtomicReference<>();
        volatile @Nullable ScheduledFuture<?> timerFuture;

        Handle(String name, Runnable task) {
            this.name = name;
            this.task = task;
        }

        void dispatch(ThreadPoolExecutor workers) {
            if (cancelled.get()) {
                return;
            }
            try {
                running.set(workers.submit(this::run));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.set(true); // closed between the timer firing and the hand-over
            }
            if (cancelled.get()) {
                Future<?> f = running.get();
                if (f != null) {
                    f.cancel(true);
                }
            }
        }

        private void run() {
            try {
                if (!cancelled.get()) {
                    task.run();
                }
            } catch (RuntimeException | Error e) {
                LOG.warn("background task {} failed: {}", name, e.getClass().getName());
                if (e instanceof Error err) {
                    throw err;
                }
            } finally {
                done.set(true);
            }
        }

        @Override
        public void cancel() {
            if (!cancelled.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = timerFuture;
            if (t != null) {
                t.cancel(false);
            }
            Future<?> f = running.get();
            if (f != null) {
                f.cancel(true);
            } else {
                done.set(true);
            }
        }

        @Override
        public boolean isDone() {
            return done.get() || cancelled.get();
        }
    }
}

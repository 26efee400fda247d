package run.getstack.sdk.internal.follow;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/**
 * Internal, not for public use. The client's one poll loop on its {@link TaskScheduler}: runs a {@link Step} (one
 * poll, which owns its watermark or cursor), schedules the next one after the delay the step returns, and after a
 * failure backs off with jitter: {@value #FIRST_BACKOFF_SECONDS} s doubling up to {@value #MAX_BACKOFF_SECONDS} s
 * (each delay drawn uniformly from its upper half), never sooner than the step's regular delay. A success resets the
 * backoff.
 *
 * <p>{@link #close()} stops it at once: the pending poll is cancelled, a running one is interrupted (the scheduler
 * interrupts its thread) and its request cancelled through {@link #cancelOnClose(Runnable)}. An interrupt or a closed
 * scheduler ends the loop as well. Memory is bounded: the loop holds one pending task and one cancel hook; the step
 * bounds its own state. Thread-safe.
 */
public final class PollLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    /** The first backoff after a failure, in seconds. */
    public static final long FIRST_BACKOFF_SECONDS = 1;

    /** The longest backoff, in seconds. */
    public static final long MAX_BACKOFF_SECONDS = 30;

    /** Internal, not for public use. One poll. */
    @FunctionalInterface
    public interface Step {
        /**
         * Polls once and delivers what it found.
         *
         * @return how long to wait before the next poll ({@link Duration#ZERO}: at once)
         * @throws StackException when the poll failed (the loop reports it and backs off)
         */
        Duration poll();
    }

    /** Internal, not for public use. Hears about failed polls. */
    @FunctionalInterface
    public interface FailureListener {
        /**
         * A poll failed; the loop will back off and try again.
         *
         * @param failure the failure
         * @param nextAttempt how long until the next attempt
         */
        void failed(StackException failure, Duration nextAttempt);
    }

    private final String name;
    private final TaskScheduler scheduler;
    private final Step step;
    private final FailureListener onFailure;
    private final DoubleSupplier random;
    private final Duration floor;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean running;
    private volatile boolean closed;
    private int failures;
    private TaskScheduler.@Nullable Cancellable next;
    private volatile @Nullable Runnable cancelHook;

    /**
     * Creates a loop; nothing runs before {@link #start()}.
     *
     * @param name the task name (no secrets)
     * @param scheduler the client's scheduler
     * @param step one poll
     * @param onFailure told of each failed poll
     * @param floor the least delay after a failure (a follower's regular interval: a failure never polls sooner)
     * @param random uniform doubles in [0, 1) for the jitter
     */
    public PollLoop(
            String name,
            TaskScheduler scheduler,
            Step step,
            FailureListener onFailure,
            Duration floor,
            DoubleSupplier random) {
        this.floor = Objects.requireNonNull(floor, "floor");
        this.name = Objects.requireNonNull(name, "name");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.step = Objects.requireNonNull(step, "step");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Creates a loop with a thread-local random source for the jitter.
     *
     * @param name the task name (no secrets)
     * @param scheduler the client's scheduler
     * @param step one poll
     * @param onFailure told of each failed poll
     * @param floor the least delay after a failure
     */
    public PollLoop(String name, TaskScheduler scheduler, Step step, FailureListener onFailure, Duration floor) {
        this(
                name,
                scheduler,
                step,
                onFailure,
                floor,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Submits the first poll (idempotent; does nothing once closed).
     *
     * @throws IllegalStateException if the scheduler is closed
     */
    public void start() {
        lock.lock();
        try {
            if (running || closed) {
                return;
            }
            running = true;
            next = scheduler.submit(name, this::run);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers how to cancel the request in flight (for example an OkHttp call parked in a long poll, which an
     * interrupt does not wake); run once by {@link #close()}. The step sets it before its request and clears it with
     * null after.
     *
     * @param hook the cancel action, or null when nothing is in flight
     */
    public void cancelOnClose(@Nullable Runnable hook) {
        this.cancelHook = hook;
        if (hook != null && closed) {
            hook.run();
        }
    }

    private void run() {
        if (!isRunning()) {
            return;
        }
        Duration delay;
        try {
            delay = step.poll();
            failures = 0;
        } catch (StackException e) {
            if (Thread.currentThread().isInterrupted() || !isRunning()) {
                running = false;
                return;
            }
            delay = backoff(failures++);
            if (delay.compareTo(floor) < 0) {
                delay = floor;
            }
            try {
                onFailure.failed(e, delay);
            } catch (RuntimeException le) {
                LOG.warn("{}: failure listener failed: {}", name, le.getClass().getName());
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            running = false;
            return;
        }
        schedule(delay);
    }

    private void schedule(Duration delay) {
        lock.lock();
        try {
            if (running && !closed) {
                next = scheduler.schedule(name, delay, this::run);
            }
        } catch (IllegalStateException schedulerClosed) {
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The jittered backoff after {@code failures} earlier consecutive failures.
     *
     * @param failures earlier consecutive failures (0 for the first)
     * @return a delay in the upper half of {@code min(1 s × 2^failures, 30 s)}
     */
    Duration backoff(int failures) {
        long capMillis = MAX_BACKOFF_SECONDS * 1000;
        long base = (FIRST_BACKOFF_SECONDS * 1000L) << Math.min(failures, 16);
        long ceiling = Math.min(base, capMillis);
        double r = random.getAsDouble();
        if (!(r >= 0 && r < 1)) {
            r = 0.5;
        }
        return Duration.ofMillis(ceiling / 2 + (long) (r * (ceiling - ceiling / 2)));
    }

    /**
     * Runs {@code r}, logging (type only) and swallowing what it throws: a listener must not stop the loop.
     *
     * @param what what is called, for the log
     * @param r the call
     */
    public static void callListener(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.getClass().getName());
        }
    }

    /**
     * Tells whether the loop is polling.
     *
     * @return false once closed, interrupted or the scheduler closed
     */
    public boolean isRunning() {
        return running && !closed && !scheduler.isClosed();
    }

    /** Stops the loop at once: cancels the pending poll, interrupts and cancels a running one. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            running = false;
            TaskScheduler.Cancellable n = next;
            if (n != null) {
                n.cancel();
            }
        } finally {
            lock.unlock();
        }
        Runnable hook = cancelHook;
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public String toString() {
        return "PollLoop{" + name + ", running=" + isRunning() + '}';
    }
}

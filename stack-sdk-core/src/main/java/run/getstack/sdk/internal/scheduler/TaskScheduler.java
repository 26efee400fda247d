package run.getstack.sdk.internal.scheduler;

import java.time.Duration;

/**
 * The client's one scheduler. Tasks may block (a network call, a long poll): they run on worker threads, never on
 * the thread that times them. Delays are measured in real time by the default implementation and on the client's
 * {@code Clock} by the manual one tests use, so code that schedules must compute its delays from the client's
 * clock and must not assume when a task runs beyond "not before its delay".
 *
 * <p>Thread-safe. After {@link #close()} every pending task is cancelled, running tasks are interrupted, and new
 * tasks are refused with {@link IllegalStateException}.
 */
public interface TaskScheduler extends AutoCloseable {

    /**
     * Runs {@code task} once, on a worker thread, after {@code delay}.
     *
     * @param name what the task is, for thread names and logs (no secrets)
     * @param delay zero or more
     * @param task the work; an exception it throws is logged and does not stop the scheduler
     * @return a handle that cancels the task if it has not started (and interrupts it if it has)
     * @throws IllegalStateException if the scheduler is closed
     */
    Cancellable schedule(String name, Duration delay, Runnable task);

    /**
     * Runs {@code task} on a worker thread as soon as one is free.
     *
     * @param name what the task is, for thread names and logs (no secrets)
     * @param task the work
     * @return a handle that cancels or interrupts it
     * @throws IllegalStateException if the scheduler is closed
     */
    default Cancellable submit(String name, Runnable task) {
        return schedule(name, Duration.ZERO, task);
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    boolean isClosed();

    /** Cancels every pending task, interrupts running ones and releases the threads. Idempotent. */
    @Override
    void close();

    /** A scheduled task's handle. */
    interface Cancellable {
        /** Cancels the task if it has not run; interrupts it if it is running. Idempotent. */
        void cancel();

        /**
         * Tells whether the task has run to its end, failed or been cancelled.
         *
         * @return true when the task will not run (again)
         */
        boolean isDone();
    }
}

package run.getstack.sdk.internal.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link TaskScheduler} for tests: tasks fall due on the given clock (a {@code TestClock}) and run only when the
 * test calls {@link #runDue()}, on the test's thread, in due order. Nothing runs by itself, so a test decides exactly
 * when background work happens.
 */
public final class ManualTaskScheduler implements TaskScheduler {
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Task> tasks = new ArrayList<>();
    private long sequence;
    private volatile boolean closed;

    /**
     * Creates a scheduler on {@code clock}.
     *
     * @param clock the clock tasks fall due on
     */
    public ManualTaskScheduler(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Cancellable schedule(String name, Duration delay, Runnable task) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the client is closed: cannot schedule " + name);
            }
            Task t = new Task(name, clock.instant().plus(delay), sequence++, task);
            tasks.add(t);
            return t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs every task due at the clock's current instant (and tasks they schedule that are also due), in due order.
     *
     * @return how many tasks ran
     */
    public int runDue() {
        int ran = 0;
        while (true) {
            Task next;
            lock.lock();
            try {
                Instant now = clock.instant();
                next = tasks.stream()
                        .filter(t -> !t.due.isAfter(now))
                        .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq))
                        .orElse(null);
                if (next == null) {
                    return ran;
                }
                tasks.remove(next);
            } finally {
                lock.unlock();
            }
            next.done = true;
            next.task.run();
            ran++;
        }
    }

    /**
     * Returns the names of the pending tasks, in due order.
     *
     * @return the names
     */
    public List<String> pending() {
        lock.lock();
        try {
            return tasks.stream()
                    .sorted(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq))
                    .map(t -> t.name)
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns when the earliest pending task falls due, if any.
     *
     * @return the instant, or null when nothing is pending
     */
    public @org.jspecify.annotations.Nullable Instant nextDue() {
        lock.lock();
        try {
            return tasks.stream().map(t -> t.due).min(Comparator.naturalOrder()).orElse(null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            tasks.forEach(t -> t.done = true);
            tasks.clear();
        } finally {
            lock.unlock();
        }
    }

    private final class Task implements Cancellable {
        final String name;
        final Instant due;
        final long seq;
        final Runnable task;
        volatile boolean done;

        Task(String name, Instant due, long seq, Runnable task) {
            this.name = name;
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                tasks.remove(this);
                done = true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }
}

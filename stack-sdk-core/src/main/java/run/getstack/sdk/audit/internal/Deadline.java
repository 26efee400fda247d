package run.getstack.sdk.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/**
 * Internal, not for public use. The end of one of the audit writer's waits (a flush, a close, a full queue, a
 * security-critical event's fsync), timed the way the rest of the client times its waits: the instant comes from the
 * client's {@link Clock}, and a task on the client's {@link TaskScheduler} falls due at it and wakes the waiter. The
 * wait is over when that task has run or the clock has reached the instant, whichever a waiter sees first; so a test
 * ends a wait by advancing its {@code TestClock} and running the manual scheduler's due tasks. A waiter also never
 * sleeps past the instant ({@link #sleepNanos()}), so a scheduler whose workers are all busy delays no wait beyond its
 * timeout.
 *
 * <p>A zero timeout is over at once. When the scheduler refuses the task (it is closed: the client is closing) nothing
 * can wake the waiter at the instant, so the deadline counts as over at once too: a wait never outlives its timer.
 * Thread-safe; {@link #close()} cancels the task.
 */
final class Deadline implements AutoCloseable {
    private final Clock clock;
    private final Instant at;
    private final Duration timeout;
    private volatile boolean due;
    private volatile boolean unscheduled;
    private TaskScheduler.@Nullable Cancellable task;

    private Deadline(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
        this.at = clock.instant().plus(timeout);
    }

    /**
     * Starts a deadline {@code timeout} from now on {@code clock}.
     *
     * @param name the scheduler task's name (no secrets)
     * @param timeout zero or more
     * @param clock the client's clock
     * @param scheduler the client's scheduler
     * @param onDue run once when the scheduler's task falls due (it wakes the waiter), on the scheduler's thread
     * @return the deadline
     */
    static Deadline start(String name, Duration timeout, Clock clock, TaskScheduler scheduler, Runnable onDue) {
        Deadline d = new Deadline(clock, timeout);
        if (timeout.isZero() || timeout.isNegative()) {
            d.due = true;
            return d;
        }
        try {
            d.task = scheduler.schedule(name, timeout, () -> {
                d.due = true;
                onDue.run();
            });
        } catch (IllegalStateException e) {
            d.unscheduled = true;
            d.due = true;
        }
        return d;
    }

    /**
     * Tells whether the wait is over: the scheduler's task ran, or the client's clock reached the instant.
     *
     * @return true once over
     */
    boolean isOver() {
        return due || !clock.instant().isBefore(at);
    }

    /**
     * How long a waiter may sleep before it looks at the clock again: the time left until the instant, at least one
     * millisecond. The scheduler's task normally wakes the waiter at the instant; this is the backstop for when every
     * scheduler worker is busy and the task cannot run, so a wait is never longer than its timeout on a clock that
     * moves with real time (on a test clock that stands still, the waiter only looks again and waits on).
     *
     * @return nanoseconds
     */
    long sleepNanos() {
        long left = Duration.between(clock.instant(), at).toNanos();
        return Math.max(left, 1_000_000L);
    }

    /**
     * Describes the wait for a message: its length, or that the client's scheduler could not time it.
     *
     * @return for example {@code "PT5S"}
     */
    String describe() {
        return unscheduled ? timeout + " (cut short: the client's scheduler is closed)" : timeout.toString();
    }

    /** Cancels the task if it has not run. Idempotent. */
    @Override
    public void close() {
        TaskScheduler.Cancellable t = task;
        if (t != null) {
            t.cancel();
        }
    }
}

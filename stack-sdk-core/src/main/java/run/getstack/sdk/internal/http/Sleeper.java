package run.getstack.sdk.internal.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Internal, not for public use. How the transport waits between retries; tests pass one that records. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread; an interrupt ends the wait with {@link InterruptedException}. */
    Sleeper THREAD_SLEEP = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

    /**
     * Waits for the given time.
     *
     * @param duration how long, not negative
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}

package run.getstack.sdk.testkit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that tests move by hand: it stands still until {@link #advance(Duration)} or {@link #set(Instant)} is
 * called. Thread-safe; every view made by {@link #withZone(ZoneId)} shares the same time.
 */
public final class TestClock extends Clock {
    /** The instant a new clock starts at, unless told otherwise: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    /** Nanoseconds since the epoch; shared by every zone view of this clock. */
    private final AtomicLong now;

    private final ZoneId zone;

    private TestClock(AtomicLong now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * Creates a clock standing at {@link #DEFAULT_START}.
     *
     * @return a new clock
     */
    public static TestClock create() {
        return at(DEFAULT_START);
    }

    /**
     * Creates a clock standing at the given instant.
     *
     * @param start the first instant the clock reports
     * @return a new clock
     */
    public static TestClock at(Instant start) {
        return new TestClock(new AtomicLong(toNanos(Objects.requireNonNull(start, "start"))), ZoneOffset.UTC);
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far; must not be negative
     * @return the new current instant
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward; amount was " + amount);
        }
        long delta = amount.toNanos();
        return fromNanos(now.updateAndGet(t -> Math.addExact(t, delta)));
    }

    /**
     * Sets the clock to an instant, forward or back (a wall clock can be stepped back by NTP too).
     *
     * @param instant the new current instant
     */
    public void set(Instant instant) {
        now.set(toNanos(Objects.requireNonNull(instant, "instant")));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new TestClock(now, Objects.requireNonNull(newZone, "zone"));
    }

    @Override
    public Instant instant() {
        return fromNanos(now.get());
    }

    @Override
    public String toString() {
        return "TestClock[" + instant() + "]";
    }

    private static long toNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}

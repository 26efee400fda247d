package run.getstack.sdk.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The fake's own clock: the configured clock plus a settable offset, so the fake can play a server whose clock runs
 * ahead of or behind the client's ({@link FakeControlPlane#serverClockOffset(Duration)}). Every time the fake
 * decides or reports (the {@code Date} header, {@code issued_at}, {@code expires_at}, token {@code iat}/{@code exp},
 * expiry checks, the journal) reads this clock. Thread-safe.
 */
final class ServerClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    ServerClock(Clock base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    Clock base() {
        return base;
    }

    Duration offset() {
        return offset;
    }

    void offset(Duration offset) {
        this.offset = offset;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(getZone()) ? this : Clock.offset(base.withZone(zone), offset);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public String toString() {
        return "ServerClock[" + base + (offset.isZero() ? "" : ", offset " + offset) + "]";
    }
}

package run.getstack.sdk.auditlog;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.http.Ids;

/**
 * How {@link AuditLog#tail(AuditTailOptions)} and {@link AuditLog#follow(AuditTailOptions, AuditEntryListener)}
 * follow the log: poll {@code GET /v1/audit} every {@link #DEFAULT_POLL_INTERVAL} (what STACK's {@code monitor
 * --follow} does) with {@code since} set to the newest entry seen. By default they start after the newest entry
 * present at the first poll; {@link #startAfter(long)} starts from a time instead. Immutable.
 */
public final class AuditTailOptions {
    /** Default poll interval: 2 s, as STACK's CLI. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    private final @Nullable String agentId;
    private final @Nullable String passportJti;
    private final Duration pollInterval;
    private final long startAfterMillis;

    private AuditTailOptions(
            @Nullable String agentId, @Nullable String passportJti, Duration pollInterval, long startAfterMillis) {
        this.agentId = agentId;
        this.passportJti = passportJti;
        this.pollInterval = pollInterval;
        this.startAfterMillis = startAfterMillis;
    }

    /**
     * Every entry appended from now on.
     *
     * @return the options
     */
    public static AuditTailOptions fromNow() {
        return new AuditTailOptions(null, null, DEFAULT_POLL_INTERVAL, -1);
    }

    /**
     * Returns a copy for one agent.
     *
     * @param agentId the agent
     * @return the options
     */
    public AuditTailOptions agentId(String agentId) {
        return new AuditTailOptions(Ids.require("agent_id", agentId), passportJti, pollInterval, startAfterMillis);
    }

    /**
     * Returns a copy for one passport.
     *
     * @param jti the passport
     * @return the options
     */
    public AuditTailOptions passportJti(String jti) {
        return new AuditTailOptions(agentId, Ids.require("passport_jti", jti), pollInterval, startAfterMillis);
    }

    /**
     * Returns a copy with another poll interval.
     *
     * @param interval 100 ms to 1 h
     * @return the options
     */
    public AuditTailOptions pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "pollInterval");
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pollInterval: must be 100 ms to 1 h, was " + interval);
        }
        return new AuditTailOptions(agentId, passportJti, interval, startAfterMillis);
    }

    /**
     * Returns a copy that starts with the entries appended after a time (instead of after the newest one).
     *
     * @param sinceMillis Unix milliseconds, zero or more (exclusive)
     * @return the options
     */
    public AuditTailOptions startAfter(long sinceMillis) {
        if (sinceMillis < 0) {
            throw new IllegalArgumentException("since: must not be negative, was " + sinceMillis);
        }
        return new AuditTailOptions(agentId, passportJti, pollInterval, sinceMillis);
    }

    /**
     * Returns the agent filter, or null.
     *
     * @return the agent
     */
    public @Nullable String agentId() {
        return agentId;
    }

    /**
     * Returns the passport filter, or null.
     *
     * @return the passport
     */
    public @Nullable String passportJti() {
        return passportJti;
    }

    /**
     * Returns the poll interval.
     *
     * @return the interval
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * Returns where the tail starts: Unix milliseconds (exclusive), or -1 for "after the newest entry".
     *
     * @return the start
     */
    public long startAfterMillis() {
        return startAfterMillis;
    }

    @Override
    public String toString() {
        return "AuditTailOptions{agentId=" + agentId + ", passportJti=" + passportJti + ", pollInterval=" + pollInterval
                + ", startAfter=" + startAfterMillis + '}';
    }
}

package run.getstack.sdk.security;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.http.Ids;

/**
 * How {@link SecurityEvents#watch(SecurityEventWatch, SecurityEventListener)} follows new events. By default it
 * watches every agent, polls every {@link #DEFAULT_POLL_INTERVAL}, and delivers only events raised after it started
 * (the events present at the first poll set the watermark); {@link #includeExisting(boolean)} delivers those too.
 * Immutable.
 */
public final class SecurityEventWatch {
    /** Default poll interval: 5 s. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    /** Shortest poll interval: 1 s. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);

    /** Default cap on events delivered per poll: {@value}. */
    public static final int DEFAULT_MAX_EVENTS_PER_POLL = 1000;

    private final @Nullable String agentId;
    private final Duration pollInterval;
    private final int maxEventsPerPoll;
    private final boolean includeExisting;

    private SecurityEventWatch(
            @Nullable String agentId, Duration pollInterval, int maxEventsPerPoll, boolean includeExisting) {
        this.agentId = agentId;
        this.pollInterval = pollInterval;
        this.maxEventsPerPoll = maxEventsPerPoll;
        this.includeExisting = includeExisting;
    }

    /**
     * The defaults.
     *
     * @return the options
     */
    public static SecurityEventWatch defaults() {
        return new SecurityEventWatch(null, DEFAULT_POLL_INTERVAL, DEFAULT_MAX_EVENTS_PER_POLL, false);
    }

    /**
     * Returns a copy that watches one agent.
     *
     * @param agentId the agent
     * @return the options
     */
    public SecurityEventWatch agentId(String agentId) {
        return new SecurityEventWatch(Ids.require("agentId", agentId), pollInterval, maxEventsPerPoll, includeExisting);
    }

    /**
     * Returns a copy with another poll interval.
     *
     * @param interval at least {@link #MIN_POLL_INTERVAL}, at most an hour
     * @return the options
     */
    public SecurityEventWatch pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "pollInterval");
        if (interval.compareTo(MIN_POLL_INTERVAL) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pollInterval: must be 1 s to 1 h, was " + interval);
        }
        return new SecurityEventWatch(agentId, interval, maxEventsPerPoll, includeExisting);
    }

    /**
     * Returns a copy with another cap on the events one poll delivers (and so holds in memory).
     *
     * @param max 1 to 100,000
     * @return the options
     */
    public SecurityEventWatch maxEventsPerPoll(int max) {
        if (max < 1 || max > 100_000) {
            throw new IllegalArgumentException("maxEventsPerPoll: must be 1 to 100000, was " + max);
        }
        return new SecurityEventWatch(agentId, pollInterval, max, includeExisting);
    }

    /**
     * Returns a copy that also delivers the events present at the first poll (up to {@link #maxEventsPerPoll()}).
     *
     * @param include whether to deliver them
     * @return the options
     */
    public SecurityEventWatch includeExisting(boolean include) {
        return new SecurityEventWatch(agentId, pollInterval, maxEventsPerPoll, include);
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
     * Returns the poll interval.
     *
     * @return the interval
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * Returns the cap on events per poll.
     *
     * @return the cap
     */
    public int maxEventsPerPoll() {
        return maxEventsPerPoll;
    }

    /**
     * Tells whether existing events are delivered at the first poll.
     *
     * @return true to deliver them
     */
    public boolean includeExisting() {
        return includeExisting;
    }

    @Override
    public String toString() {
        return "SecurityEventWatch{agentId=" + agentId + ", pollInterval=" + pollInterval + ", maxEventsPerPoll="
                + maxEventsPerPoll + ", includeExisting=" + includeExisting + '}';
    }
}

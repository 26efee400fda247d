package run.getstack.sdk.mission;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A mission's caps, in STACK's units: actions, cents, seconds and bytes, and actions per service. A call that would
 * take a usage past its cap pauses the mission ({@code docs/wire-protocol.md} §10.4.5). Immutable; build with
 * {@link #builder()}; {@link #none()} has no cap.
 */
public final class MissionLimits {
    /** The cap names as the wire and {@link StackMissionPausedException#pausedCap()} spell them. */
    public static final String MAX_ACTIONS = "max_actions";

    /** The cents cap's name. */
    public static final String MAX_CENTS = "max_cents";

    /** The seconds cap's name. */
    public static final String MAX_SECONDS = "max_seconds";

    /** The bytes cap's name. */
    public static final String MAX_BYTES = "max_bytes";

    /** The per-service actions cap's name. */
    public static final String MAX_ACTIONS_PER_SERVICE = "max_actions_per_service";

    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final MissionLimits NONE = builder().build();

    private final long maxActions;
    private final long maxCents;
    private final long maxSeconds;
    private final long maxBytes;
    private final Map<String, Long> maxActionsPerService;

    private MissionLimits(Builder b) {
        this.maxActions = b.maxActions;
        this.maxCents = b.maxCents;
        this.maxSeconds = b.maxSeconds;
        this.maxBytes = b.maxBytes;
        this.maxActionsPerService = Map.copyOf(b.perService);
    }

    /**
     * Returns limits without any cap.
     *
     * @return no caps
     */
    public static MissionLimits none() {
        return NONE;
    }

    /**
     * Starts a builder without caps.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the actions cap.
     *
     * @return the cap, empty if none
     */
    public OptionalLong maxActions() {
        return opt(maxActions);
    }

    /**
     * Returns the cents cap.
     *
     * @return the cap, empty if none
     */
    public OptionalLong maxCents() {
        return opt(maxCents);
    }

    /**
     * Returns the seconds cap.
     *
     * @return the cap, empty if none
     */
    public OptionalLong maxSeconds() {
        return opt(maxSeconds);
    }

    /**
     * Returns the bytes cap.
     *
     * @return the cap, empty if none
     */
    public OptionalLong maxBytes() {
        return opt(maxBytes);
    }

    /**
     * Returns the per-service actions caps.
     *
     * @return provider slug to cap (unmodifiable)
     */
    public Map<String, Long> maxActionsPerService() {
        return maxActionsPerService;
    }

    /**
     * Tells whether no cap is set.
     *
     * @return true without caps
     */
    public boolean isEmpty() {
        return maxActions == 0 && maxCents == 0 && maxSeconds == 0 && maxBytes == 0 && maxActionsPerService.isEmpty();
    }

    private static OptionalLong opt(long v) {
        return v == 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MissionLimits l
                && maxActions == l.maxActions
                && maxCents == l.maxCents
                && maxSeconds == l.maxSeconds
                && maxBytes == l.maxBytes
                && maxActionsPerService.equals(l.maxActionsPerService);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxActions, maxCents, maxSeconds, maxBytes, maxActionsPerService);
    }

    @Override
    public String toString() {
        return "MissionLimits{maxActions=" + maxActions + ", maxCents=" + maxCents + ", maxSeconds=" + maxSeconds
                + ", maxBytes=" + maxBytes + ", maxActionsPerService=" + maxActionsPerService + '}';
    }

    /** Builds {@link MissionLimits}; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private long maxActions;
        private long maxCents;
        private long maxSeconds;
        private long maxBytes;
        private final Map<String, Long> perService = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Caps the actions (credential fetches, lease grants, proxy calls) under the mission.
         *
         * @param max positive
         * @return this builder
         */
        public Builder maxActions(long max) {
            this.maxActions = positive("maxActions", max);
            return this;
        }

        /**
         * Caps the cost in cents.
         *
         * @param max positive
         * @return this builder
         */
        public Builder maxCents(long max) {
            this.maxCents = positive("maxCents", max);
            return this;
        }

        /**
         * Caps the mission's running time in seconds.
         *
         * @param max positive
         * @return this builder
         */
        public Builder maxSeconds(long max) {
            this.maxSeconds = positive("maxSeconds", max);
            return this;
        }

        /**
         * Caps the proxied bytes (request plus response bodies).
         *
         * @param max positive
         * @return this builder
         */
        public Builder maxBytes(long max) {
            this.maxBytes = positive("maxBytes", max);
            return this;
        }

        /**
         * Caps the actions on one service.
         *
         * @param service the provider slug ({@code slack})
         * @param max positive
         * @return this builder
         */
        public Builder maxActionsPerService(String service, long max) {
            Objects.requireNonNull(service, "service");
            if (!SERVICE.matcher(service).matches()) {
                throw new IllegalArgumentException(
                        "service: must be a lower-case provider slug, was '" + service + "'");
            }
            perService.put(service, positive("maxActionsPerService", max));
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the limits
         */
        public MissionLimits build() {
            return new MissionLimits(this);
        }

        private static long positive(String name, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + ": must be positive, was " + v);
            }
            return v;
        }
    }
}

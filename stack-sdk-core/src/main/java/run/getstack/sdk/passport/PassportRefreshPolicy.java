package run.getstack.sdk.passport;

import java.time.Duration;
import java.util.Objects;

/**
 * When the agent's own passport ({@link AgentPassport}) is refreshed. Immutable; build with {@link #builder()}.
 *
 * <p>A passport with lifetime {@code L} (issue to expiry) is refreshed from {@code issuedAt + L * refreshFraction
 * + jitter}, where the jitter is uniform in {@code [-L * jitterFraction, +L * jitterFraction]}, so that many agents
 * started together do not refresh together. It is never served within {@link #expiryMargin()} of its expiry (on
 * the client's clock, corrected by the skew between the client and the server's {@code Date}). A failed refresh
 * is retried after {@code min(backoffCap, backoffBase * 2^(n-1))}, scaled by a random factor in [0.5, 1) and at
 * most half the time left, so several attempts happen before the passport expires.
 */
public final class PassportRefreshPolicy {
    /** Default {@link #refreshFraction()}: 0.75 of the lifetime. */
    public static final double DEFAULT_REFRESH_FRACTION = 0.75;

    /** Default {@link #jitterFraction()}: 0.05 of the lifetime either way. */
    public static final double DEFAULT_JITTER_FRACTION = 0.05;

    /**
     * Default {@link #expiryMargin()}: zero, so a passport is served until it has actually expired (refreshing
     * normally replaces it long before). Set a margin to stop serving a passport that would expire in flight.
     */
    public static final Duration DEFAULT_EXPIRY_MARGIN = Duration.ZERO;

    /** Default {@link #backoffBase()}: 1 s. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);

    /** Default {@link #backoffCap()}: 30 s. */
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(30);

    private static final PassportRefreshPolicy DEFAULTS = builder().build();

    private final double refreshFraction;
    private final double jitterFraction;
    private final Duration expiryMargin;
    private final Duration backoffBase;
    private final Duration backoffCap;

    private PassportRefreshPolicy(Builder b) {
        this.refreshFraction = b.refreshFraction;
        this.jitterFraction = b.jitterFraction;
        this.expiryMargin = b.expiryMargin;
        this.backoffBase = b.backoffBase;
        this.backoffCap = b.backoffCap;
    }

    /**
     * Returns the policy with every default.
     *
     * @return the default policy
     */
    public static PassportRefreshPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the fraction of the lifetime after which refreshing starts */
    public double refreshFraction() {
        return refreshFraction;
    }

    /** @return the jitter, as a fraction of the lifetime either way */
    public double jitterFraction() {
        return jitterFraction;
    }

    /** @return how long before expiry the passport is no longer served */
    public Duration expiryMargin() {
        return expiryMargin;
    }

    /** @return the first wait after a failed refresh */
    public Duration backoffBase() {
        return backoffBase;
    }

    /** @return the longest wait after failed refreshes */
    public Duration backoffCap() {
        return backoffCap;
    }

    @Override
    public String toString() {
        return "PassportRefreshPolicy{refreshFraction=" + refreshFraction + ", jitterFraction=" + jitterFraction
                + ", expiryMargin=" + expiryMargin + ", backoffBase=" + backoffBase + ", backoffCap=" + backoffCap
                + '}';
    }

    /** Builds a {@link PassportRefreshPolicy}; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private double refreshFraction = DEFAULT_REFRESH_FRACTION;
        private double jitterFraction = DEFAULT_JITTER_FRACTION;
        private Duration expiryMargin = DEFAULT_EXPIRY_MARGIN;
        private Duration backoffBase = DEFAULT_BACKOFF_BASE;
        private Duration backoffCap = DEFAULT_BACKOFF_CAP;

        private Builder() {}

        /**
         * Sets when refreshing starts, as a fraction of the lifetime.
         *
         * @param fraction above 0 and below 1
         * @return this builder
         */
        public Builder refreshFraction(double fraction) {
            if (!(fraction > 0.0 && fraction < 1.0)) {
                throw new IllegalArgumentException("refreshFraction: must be above 0 and below 1, was " + fraction);
            }
            this.refreshFraction = fraction;
            return this;
        }

        /**
         * Sets the jitter, as a fraction of the lifetime either way; 0 turns it off.
         *
         * @param fraction 0 to 0.2
         * @return this builder
         */
        public Builder jitterFraction(double fraction) {
            if (!(fraction >= 0.0 && fraction <= 0.2)) {
                throw new IllegalArgumentException("jitterFraction: must be 0 to 0.2, was " + fraction);
            }
            this.jitterFraction = fraction;
            return this;
        }

        /**
         * Sets how long before expiry the passport is no longer served.
         *
         * @param margin 0 to 60 s
         * @return this builder
         */
        public Builder expiryMargin(Duration margin) {
            Objects.requireNonNull(margin, "expiryMargin");
            if (margin.isNegative() || margin.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("expiryMargin: must be 0 to 60 s, was " + margin);
            }
            this.expiryMargin = margin;
            return this;
        }

        /**
         * Sets the first wait after a failed refresh.
         *
         * @param base positive
         * @return this builder
         */
        public Builder backoffBase(Duration base) {
            this.backoffBase = positive("backoffBase", base);
            return this;
        }

        /**
         * Sets the longest wait after failed refreshes.
         *
         * @param cap positive
         * @return this builder
         */
        public Builder backoffCap(Duration cap) {
            this.backoffCap = positive("backoffCap", cap);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException if the cap is below the base
         */
        public PassportRefreshPolicy build() {
            if (backoffCap.compareTo(backoffBase) < 0) {
                throw new IllegalArgumentException("backoffCap: must not be below backoffBase");
            }
            return new PassportRefreshPolicy(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": must be positive, was " + d);
            }
            return d;
        }
    }
}

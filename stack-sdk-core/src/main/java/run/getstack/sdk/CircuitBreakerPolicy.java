package run.getstack.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * The client's circuit breaker, one per control-plane host. Immutable; build with {@link #builder()}.
 *
 * <p>The breaker looks at the last {@link #slidingWindowSize()} attempts (a count-based window). An attempt fails
 * for the breaker when no response arrived (connect error, reset, timeout) or the status was 500, 502, 503 or 504;
 * every other response, 4xx included, is a success. Once at least {@link #minimumNumberOfCalls()} attempts were
 * recorded and the failure rate reaches {@link #failureRateThreshold()} percent, the circuit opens: calls fail at
 * once with {@link StackCircuitOpenException} and send nothing. After {@link #waitInOpenState()} (measured on the
 * client's clock) the circuit is half-open and lets {@link #permittedCallsInHalfOpenState()} trial attempts
 * through; if their failure rate is below the threshold it closes, otherwise it opens again.
 */
public final class CircuitBreakerPolicy {
    /** Default {@link #enabled()}: true. */
    public static final boolean DEFAULT_ENABLED = true;

    /** Default {@link #slidingWindowSize()}: 20 attempts. */
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;

    /** Default {@link #minimumNumberOfCalls()}: 10 attempts. */
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;

    /** Default {@link #failureRateThreshold()}: 50 percent. */
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;

    /** Default {@link #waitInOpenState()}: 30 s. */
    public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);

    /** Default {@link #permittedCallsInHalfOpenState()}: 3 attempts. */
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 3;

    private static final CircuitBreakerPolicy DEFAULTS = builder().build();

    private final boolean enabled;
    private final int slidingWindowSize;
    private final int minimumNumberOfCalls;
    private final int failureRateThreshold;
    private final Duration waitInOpenState;
    private final int permittedCallsInHalfOpenState;

    private CircuitBreakerPolicy(Builder b) {
        this.enabled = b.enabled;
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumNumberOfCalls = b.minimumNumberOfCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.waitInOpenState = b.waitInOpenState;
        this.permittedCallsInHalfOpenState = b.permittedCallsInHalfOpenState;
    }

    /**
     * Returns the policy with every default.
     *
     * @return the default policy
     */
    public static CircuitBreakerPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a policy whose breaker never opens.
     *
     * @return a disabled policy
     */
    public static CircuitBreakerPolicy disabled() {
        return builder().enabled(false).build();
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells whether the breaker is active.
     *
     * @return false if calls always go through
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Returns how many recent attempts the failure rate is computed over.
     *
     * @return the window size
     */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /**
     * Returns how many attempts must be recorded before the failure rate counts.
     *
     * @return the minimum
     */
    public int minimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /**
     * Returns the failure rate, in percent, at which the circuit opens.
     *
     * @return 1 to 100
     */
    public int failureRateThreshold() {
        return failureRateThreshold;
    }

    /**
     * Returns how long the circuit stays open before letting trial attempts through.
     *
     * @return the wait
     */
    public Duration waitInOpenState() {
        return waitInOpenState;
    }

    /**
     * Returns how many trial attempts a half-open circuit lets through.
     *
     * @return the number of trial attempts
     */
    public int permittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    @Override
    public String toString() {
        return "CircuitBreakerPolicy{enabled=" + enabled + ", slidingWindowSize=" + slidingWindowSize
                + ", minimumNumberOfCalls=" + minimumNumberOfCalls + ", failureRateThreshold=" + failureRateThreshold
                + ", waitInOpenState=" + waitInOpenState + ", permittedCallsInHalfOpenState="
                + permittedCallsInHalfOpenState + '}';
    }

    /** Builds a {@link CircuitBreakerPolicy}; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
        private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private Duration waitInOpenState = DEFAULT_WAIT_IN_OPEN_STATE;
        private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;

        private Builder() {}

        /**
         * Turns the breaker on or off.
         *
         * @param enabled false to let every call through
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets how many recent attempts the failure rate is computed over.
         *
         * @param size 1 to 1000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder slidingWindowSize(int size) {
            this.slidingWindowSize = range("slidingWindowSize", size, 1, 1000);
            return this;
        }

        /**
         * Sets how many attempts must be recorded before the failure rate counts.
         *
         * @param calls 1 to 1000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder minimumNumberOfCalls(int calls) {
            this.minimumNumberOfCalls = range("minimumNumberOfCalls", calls, 1, 1000);
            return this;
        }

        /**
         * Sets the failure rate, in percent, at which the circuit opens.
         *
         * @param percent 1 to 100
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder failureRateThreshold(int percent) {
            this.failureRateThreshold = range("failureRateThreshold", percent, 1, 100);
            return this;
        }

        /**
         * Sets how long the circuit stays open before letting trial attempts through.
         *
         * @param wait positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder waitInOpenState(Duration wait) {
            Objects.requireNonNull(wait, "waitInOpenState");
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("waitInOpenState: must be positive, was " + wait);
            }
            this.waitInOpenState = wait;
            return this;
        }

        /**
         * Sets how many trial attempts a half-open circuit lets through.
         *
         * @param calls 1 to 100
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder permittedCallsInHalfOpenState(int calls) {
            this.permittedCallsInHalfOpenState = range("permittedCallsInHalfOpenState", calls, 1, 100);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         */
        public CircuitBreakerPolicy build() {
            return new CircuitBreakerPolicy(this);
        }

        private static int range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + ": must be " + min + " to " + max + ", was " + v);
            }
            return v;
        }
    }
}

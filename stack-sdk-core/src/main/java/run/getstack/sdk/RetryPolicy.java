package run.getstack.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client retries a failed call. Immutable; build with {@link #builder()}.
 *
 * <p><b>Which calls.</b> Only calls that are safe to repeat: methods GET, HEAD, PUT, DELETE and OPTIONS, and a POST
 * that carries an {@code Idempotency-Key} (the SDK generates one per logical call for the POSTs it may retry and
 * sends the same key, request id and byte-identical body on every attempt). A POST without a key is never retried.
 *
 * <p><b>Which outcomes.</b> Connection failures, resets and timeouts before a complete response; HTTP 429, 502, 503
 * and 504 (502/504 only when they do not carry a proxy {@code UPSTREAM_*} code, which reports the upstream service,
 * not the control plane); HTTP 409 {@code idempotency_in_progress}; and HTTP 500 for idempotent methods only. A POST
 * is not retried on 500 even with a key, because the control plane does not store 5xx responses for replay: the
 * first attempt may have had effects that a retry would repeat. Other 4xx are never retried.
 *
 * <p><b>When.</b> Exponential backoff with full jitter: before retry {@code n} (1-based) the client waits a delay
 * drawn uniformly from {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}. When the response carries
 * {@code Retry-After} (seconds or an HTTP date) on 429, 503 or 409, the wait is the larger of that and the backoff.
 * At most {@link #maxAttempts()} attempts are made and the whole call, waits and attempts included, stays within
 * {@link #maxElapsed()}: each attempt gets at most what remains of the budget (its call timeout is shortened to
 * that; when the budget runs out mid-attempt the call fails with a {@code CALL} {@link StackTimeoutException}), a
 * wait that would end past the budget is not started, and the call fails with the last error (carrying {@code retryAfter()} when the server's {@code Retry-After} was the reason). An interrupt during a
 * wait ends the call at once with {@link StackInterruptedException}, the interrupt flag restored.
 */
public final class RetryPolicy {
    /** Default {@link #maxAttempts()}: 3 (the first attempt and two retries). */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** Default {@link #baseDelay()}: 200 ms. */
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(200);

    /** Default {@link #maxDelay()}: 2 s. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(2);

    /**
     * Default {@link #maxElapsed()}: 30 s for the whole call, attempts, retries and waits included (the same as
     * {@code StackClient.DEFAULT_CALL_TIMEOUT}: one attempt may use the whole budget).
     */
    public static final Duration DEFAULT_MAX_ELAPSED = Duration.ofSeconds(30);

    /** The largest accepted {@link #maxAttempts()}: 10. */
    public static final int MAX_MAX_ATTEMPTS = 10;

    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxElapsed;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.maxElapsed = b.maxElapsed;
    }

    /**
     * Returns the policy with every default.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a policy that never retries (one attempt).
     *
     * @return a policy with {@code maxAttempts} 1
     */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
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
     * Returns the most attempts per call, the first included.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the backoff before the first retry's upper bound.
     *
     * @return the base delay
     */
    public Duration baseDelay() {
        return baseDelay;
    }

    /**
     * Returns the cap on the backoff's upper bound.
     *
     * @return the maximum delay
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * Returns the time budget of the whole call, retries and waits included.
     *
     * @return the budget
     */
    public Duration maxElapsed() {
        return maxElapsed;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
                + ", maxElapsed=" + maxElapsed + '}';
    }

    /** Builds a {@link RetryPolicy}; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration baseDelay = DEFAULT_BASE_DELAY;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private Duration maxElapsed = DEFAULT_MAX_ELAPSED;

        private Builder() {}

        /**
         * Sets the most attempts per call, the first included.
         *
         * @param maxAttempts 1 (no retries) to {@link #MAX_MAX_ATTEMPTS}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
                throw new IllegalArgumentException(
                        "maxAttempts: must be 1 to " + MAX_MAX_ATTEMPTS + ", was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the upper bound of the first retry's backoff.
         *
         * @param baseDelay positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = positive("baseDelay", baseDelay);
            return this;
        }

        /**
         * Sets the cap on the backoff's upper bound.
         *
         * @param maxDelay positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = positive("maxDelay", maxDelay);
            return this;
        }

        /**
         * Sets the time budget of a whole call, retries and waits included.
         *
         * @param maxElapsed positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxElapsed(Duration maxElapsed) {
            this.maxElapsed = positive("maxElapsed", maxElapsed);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException if {@code maxDelay} is shorter than {@code baseDelay}
         */
        public RetryPolicy build() {
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException(
                        "maxDelay: must not be shorter than baseDelay (" + maxDelay + " < " + baseDelay + ")");
            }
            return new RetryPolicy(this);
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

package run.getstack.sdk.testkit;

import java.time.Duration;
import java.util.Objects;
import run.getstack.sdk.testkit.internal.DetectorConfig;

/**
 * The fake's detector settings, changeable at any time. Defaults follow STACK's example: {@code
 * credential_burst} fires when an agent makes at least {@value #DEFAULT_BURST_MINIMUM} counted requests within
 * 4 s and at least 12 × its baseline rate (requests per window over the previous hour). All windows run on the
 * fake's clock.
 */
public final class Detectors {
    /** Default burst window. */
    public static final Duration DEFAULT_BURST_WINDOW = DetectorConfig.DEFAULT_WINDOW;
    /** Default burst multiplier over baseline. */
    public static final double DEFAULT_BURST_MULTIPLIER = DetectorConfig.DEFAULT_MULTIPLIER;
    /** Default minimum requests in the window before a burst can fire. */
    public static final int DEFAULT_BURST_MINIMUM = DetectorConfig.DEFAULT_MINIMUM;
    /** Default baseline look-back. */
    public static final Duration DEFAULT_BASELINE_LOOKBACK = DetectorConfig.DEFAULT_LOOKBACK;

    private final DetectorConfig config;

    Detectors(DetectorConfig config) {
        this.config = config;
    }

    /**
     * Sets how a detector acts.
     *
     * @param signal the detector
     * @param mode alert, block, policy or off
     * @return this
     */
    public Detectors mode(Signal signal, DetectorMode mode) {
        config.mode(Objects.requireNonNull(signal, "signal"), Objects.requireNonNull(mode, "mode"));
        return this;
    }

    /**
     * How a detector acts.
     *
     * @param signal the detector
     * @return its mode
     */
    public DetectorMode mode(Signal signal) {
        return config.mode(signal);
    }

    /**
     * Sets the burst window.
     *
     * @param window positive
     * @return this
     */
    public Detectors burstWindow(Duration window) {
        Objects.requireNonNull(window, "burstWindow");
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("burstWindow must be positive");
        }
        config.window(window);
        return this;
    }

    /**
     * Sets the burst multiplier.
     *
     * @param multiplier positive
     * @return this
     */
    public Detectors burstMultiplier(double multiplier) {
        if (!(multiplier > 0)) {
            throw new IllegalArgumentException("burstMultiplier must be positive");
        }
        config.multiplier(multiplier);
        return this;
    }

    /**
     * Sets the minimum count in the window.
     *
     * @param minimum at least 1
     * @return this
     */
    public Detectors burstMinimum(int minimum) {
        if (minimum < 1) {
            throw new IllegalArgumentException("burstMinimum must be >= 1");
        }
        config.minimum(minimum);
        return this;
    }

    /**
     * Sets the baseline look-back.
     *
     * @param lookback positive
     * @return this
     */
    public Detectors baselineLookback(Duration lookback) {
        Objects.requireNonNull(lookback, "baselineLookback");
        if (lookback.isZero() || lookback.isNegative()) {
            throw new IllegalArgumentException("baselineLookback must be positive");
        }
        config.lookback(lookback);
        return this;
    }

    /**
     * The burst window.
     *
     * @return the window
     */
    public Duration burstWindow() {
        return config.window();
    }

    /**
     * The burst multiplier.
     *
     * @return the multiplier
     */
    public double burstMultiplier() {
        return config.multiplier();
    }

    /**
     * The burst minimum.
     *
     * @return the minimum
     */
    public int burstMinimum() {
        return config.minimum();
    }

    /**
     * The baseline look-back.
     *
     * @return the look-back
     */
    public Duration baselineLookback() {
        return config.lookback();
    }

    /** Restores every default. */
    public void reset() {
        config.reset();
    }

    @Override
    public String toString() {
        return "Detectors[window=" + burstWindow() + ", multiplier=" + burstMultiplier() + ", minimum=" + burstMinimum()
                + ", lookback=" + baselineLookback() + "]";
    }
}

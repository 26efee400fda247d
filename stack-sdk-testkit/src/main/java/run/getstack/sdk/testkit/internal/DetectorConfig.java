package run.getstack.sdk.testkit.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import run.getstack.sdk.testkit.DetectorMode;
import run.getstack.sdk.testkit.Signal;

/** Internal, not for public use. Live detector settings; thread-safe. */
public final class DetectorConfig {
    /** Default burst window: 4 s. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(4);
    /** Default multiplier over baseline: 12. */
    public static final double DEFAULT_MULTIPLIER = 12.0;
    /** Default minimum count in the window: 5. */
    public static final int DEFAULT_MINIMUM = 5;
    /** Default baseline look-back: 3600 s. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);

    private final Map<Signal, DetectorMode> modes = new EnumMap<>(Signal.class);
    private volatile Duration window = DEFAULT_WINDOW;
    private volatile double multiplier = DEFAULT_MULTIPLIER;
    private volatile int minimum = DEFAULT_MINIMUM;
    private volatile Duration lookback = DEFAULT_LOOKBACK;

    /** Creates settings with every detector in {@link DetectorMode#POLICY}. */
    public DetectorConfig() {
        reset();
    }

    /** Restores every default. */
    public synchronized void reset() {
        for (Signal s : Signal.values()) {
            modes.put(s, DetectorMode.POLICY);
        }
        window = DEFAULT_WINDOW;
        multiplier = DEFAULT_MULTIPLIER;
        minimum = DEFAULT_MINIMUM;
        lookback = DEFAULT_LOOKBACK;
    }

    /**
     * The mode of a detector.
     *
     * @param s signal
     * @return mode
     */
    public synchronized DetectorMode mode(Signal s) {
        return modes.getOrDefault(s, DetectorMode.POLICY);
    }

    /**
     * Sets the mode of a detector.
     *
     * @param s signal
     * @param m mode
     */
    public synchronized void mode(Signal s, DetectorMode m) {
        modes.put(s, m);
    }

    /**
     * Burst window.
     *
     * @return window
     */
    public Duration window() {
        return window;
    }

    /**
     * Sets the burst window.
     *
     * @param d window
     */
    public void window(Duration d) {
        window = d;
    }

    /**
     * Burst multiplier.
     *
     * @return multiplier
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * Sets the multiplier.
     *
     * @param m multiplier
     */
    public void multiplier(double m) {
        multiplier = m;
    }

    /**
     * Minimum count.
     *
     * @return minimum
     */
    public int minimum() {
        return minimum;
    }

    /**
     * Sets the minimum count.
     *
     * @param m minimum
     */
    public void minimum(int m) {
        minimum = m;
    }

    /**
     * Baseline look-back.
     *
     * @return look-back
     */
    public Duration lookback() {
        return lookback;
    }

    /**
     * Sets the look-back.
     *
     * @param d look-back
     */
    public void lookback(Duration d) {
        lookback = d;
    }
}

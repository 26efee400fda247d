package run.getstack.sdk.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.values.WireValues;

/**
 * A security event's severity ({@code severity}).
 *
 * <p>A typed value rather than a Java {@code enum} so that a value a newer STACK sends is kept, not lost or
 * turned into an error: {@link #of(String)} returns the constant for a known value and a new instance (with
 * {@link #isKnown()} false) for any other. Compare with {@code equals}; the constants are the known values.
 * Immutable.
 */
public final class Severity {
    /** {@code info}: recorded, never blocks. */
    public static final Severity INFO = new Severity("info", true);

    /** {@code warning}: review; blocks where the agent's {@code on_warning} says so. */
    public static final Severity WARNING = new Severity("warning", true);

    /** {@code critical}: hard violation; blocks in enforced mode or where {@code on_critical} says so. */
    public static final Severity CRITICAL = new Severity("critical", true);

    private static final List<Severity> KNOWN = List.of(INFO, WARNING, CRITICAL);

    private final String value;
    private final boolean known;

    private Severity(String value, boolean known) {
        this.value = value;
        this.known = known;
    }

    /**
     * Returns the value for a wire string: the constant if it is known, else a new unknown value.
     *
     * @param value the wire value ({@code severity}), 1 to 64 characters of {@code [a-z0-9_.-]}
     * @return the typed value
     * @throws IllegalArgumentException if the string is not such a value
     */
    public static Severity of(String value) {
        return WireValues.of("severity", value, KNOWN, k -> k.value, v -> new Severity(v, false));
    }

    /**
     * Returns the values this SDK version knows.
     *
     * @return the known values
     */
    public static List<Severity> knownValues() {
        return KNOWN;
    }

    /**
     * Returns the wire string.
     *
     * @return the value as STACK writes it
     */
    public String value() {
        return value;
    }

    /**
     * Tells whether this SDK version knows the value (false for a value only a newer STACK sends).
     *
     * @return true for one of the constants
     */
    public boolean isKnown() {
        return known;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Severity other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /**
     * Returns the wire string.
     *
     * @return the value
     */
    @Override
    public String toString() {
        return value;
    }
}

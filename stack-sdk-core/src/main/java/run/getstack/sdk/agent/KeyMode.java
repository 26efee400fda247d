package run.getstack.sdk.agent;

import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.values.WireValues;

/**
 * Who holds an agent's signing key ({@code key_mode}); set at registration and immutable afterwards.
 *
 * <p>A typed value rather than a Java {@code enum} so that a value a newer STACK sends is kept, not lost or
 * turned into an error: {@link #of(String)} returns the constant for a known value and a new instance (with
 * {@link #isKnown()} false) for any other. Compare with {@code equals}; the constants are the known values.
 * Immutable.
 */
public final class KeyMode {
    /** {@code stack_managed}: STACK holds the key (the {@code proxied-llm-bot} profile's choice). */
    public static final KeyMode STACK_MANAGED = new KeyMode("stack_managed", true);

    private static final List<KeyMode> KNOWN = List.of(STACK_MANAGED);

    private final String value;
    private final boolean known;

    private KeyMode(String value, boolean known) {
        this.value = value;
        this.known = known;
    }

    /**
     * Returns the value for a wire string: the constant if it is known, else a new unknown value.
     *
     * @param value the wire value ({@code key_mode}), 1 to 64 characters of {@code [a-z0-9_.-]}
     * @return the typed value
     * @throws IllegalArgumentException if the string is not such a value
     */
    public static KeyMode of(String value) {
        return WireValues.of("key_mode", value, KNOWN, k -> k.value, v -> new KeyMode(v, false));
    }

    /**
     * Returns the values this SDK version knows.
     *
     * @return the known values
     */
    public static List<KeyMode> knownValues() {
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
        return o instanceof KeyMode other && other.value.equals(value);
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

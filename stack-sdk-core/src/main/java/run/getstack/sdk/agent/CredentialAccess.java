package run.getstack.sdk.agent;

import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.values.WireValues;

/**
 * How an agent may reach its credentials ({@code credential_access}).
 *
 * <p>A typed value rather than a Java {@code enum} so that a value a newer STACK sends is kept, not lost or
 * turned into an error: {@link #of(String)} returns the constant for a known value and a new instance (with
 * {@link #isKnown()} false) for any other. Compare with {@code equals}; the constants are the known values.
 * Immutable.
 */
public final class CredentialAccess {
    /** {@code direct}: the agent may retrieve raw credentials. */
    public static final CredentialAccess DIRECT = new CredentialAccess("direct", true);

    /** {@code proxy_preferred}: the proxy is preferred, direct retrieval still allowed. */
    public static final CredentialAccess PROXY_PREFERRED = new CredentialAccess("proxy_preferred", true);

    /** {@code proxy_only}: only through STACK's proxy; raw credentials are refused. */
    public static final CredentialAccess PROXY_ONLY = new CredentialAccess("proxy_only", true);

    private static final List<CredentialAccess> KNOWN = List.of(DIRECT, PROXY_PREFERRED, PROXY_ONLY);

    private final String value;
    private final boolean known;

    private CredentialAccess(String value, boolean known) {
        this.value = value;
        this.known = known;
    }

    /**
     * Returns the value for a wire string: the constant if it is known, else a new unknown value.
     *
     * @param value the wire value ({@code credential_access}), 1 to 64 characters of {@code [a-z0-9_.-]}
     * @return the typed value
     * @throws IllegalArgumentException if the string is not such a value
     */
    public static CredentialAccess of(String value) {
        return WireValues.of("credential_access", value, KNOWN, k -> k.value, v -> new CredentialAccess(v, false));
    }

    /**
     * Returns the values this SDK version knows.
     *
     * @return the known values
     */
    public static List<CredentialAccess> knownValues() {
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
        return o instanceof CredentialAccess other && other.value.equals(value);
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

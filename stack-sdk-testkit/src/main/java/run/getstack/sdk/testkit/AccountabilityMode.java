package run.getstack.sdk.testkit;

import java.util.Locale;

/** An agent's accountability mode (wire protocol §2: {@code accountability_mode}). */
public enum AccountabilityMode {
    /** Intent required, checkpoints enforced, critical signals block. */
    ENFORCED,
    /** Intent required, signals recorded but never block. */
    LOGGED,
    /** No intent, no checkpoints. */
    STANDARD;

    /**
     * The value on the wire.
     *
     * @return e.g. {@code enforced}
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire value.
     *
     * @param value e.g. {@code logged}
     * @return the mode
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AccountabilityMode fromWire(String value) {
        for (AccountabilityMode m : values()) {
            if (m.wireValue().equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("accountability_mode must be enforced, logged or standard: " + value);
    }
}

package run.getstack.sdk.testkit;

import java.util.Locale;

/** What an agent's {@code on_warning} / {@code on_critical} setting does when a detector fires. */
public enum SignalAction {
    /** Record a security event only. */
    NOTIFY,
    /** Revoke the passport and block the agent from new ones. */
    BLOCK;

    /**
     * The value on the wire.
     *
     * @return e.g. {@code block}
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire value.
     *
     * @param value {@code notify} or {@code block}
     * @return the action
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SignalAction fromWire(String value) {
        for (SignalAction a : values()) {
            if (a.wireValue().equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("on_warning/on_critical must be notify or block: " + value);
    }
}

package run.getstack.sdk.mission;

import java.util.Locale;
import java.util.Optional;

/** Why a mission ended. */
public enum MissionEndReason {
    /** Completed by its agent or operator. */
    COMPLETED,
    /** The owner closed it after a cap paused it. */
    COMPLETED_CAP_BREACHED,
    /** Replaced by a renewal (a new mission id). */
    RENEWED,
    /** Revoked for suspected abuse. */
    ADVERSARIAL,
    /** Revoked as an ordinary stop. */
    OPERATOR_INITIATED_CLEAN;

    /**
     * Returns the wire value ({@code completed_cap_breached}, ...).
     *
     * @return the wire value
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire value.
     *
     * @param wire the value
     * @return the reason, empty if unknown
     */
    public static Optional<MissionEndReason> fromWire(String wire) {
        for (MissionEndReason r : values()) {
            if (r.wireValue().equals(wire)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}

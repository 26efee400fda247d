package run.getstack.sdk.mission;

import java.util.Locale;
import java.util.Optional;

/** A mission's state as STACK lists it ({@code stack_list_missions}). */
public enum MissionStatus {
    /** Live: its passports work. */
    ACTIVE,
    /** A cap paused it; it waits for the owner's decision. Calls under it fail with {@link StackMissionPausedException}. */
    PAUSED,
    /** Ended by completion (also by renewal and by the owner's {@code close}); its passports are revoked. */
    COMPLETED,
    /** Ended by revocation; its passports are revoked. */
    REVOKED;

    /**
     * Returns the wire value ({@code active}, ...).
     *
     * @return the wire value
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Tells whether the mission has ended (completed or revoked).
     *
     * @return true once ended
     */
    public boolean isEnded() {
        return this == COMPLETED || this == REVOKED;
    }

    /**
     * Parses a wire value.
     *
     * @param wire the value
     * @return the status, empty if unknown
     */
    public static Optional<MissionStatus> fromWire(String wire) {
        for (MissionStatus s : values()) {
            if (s.wireValue().equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

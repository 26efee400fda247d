package run.getstack.sdk.mission;

import java.util.Locale;

/** The reasons STACK accepts for revoking a mission ({@code stack_revoke_mission}); both revoke its passports. */
public enum RevokeReason {
    /** Suspected abuse. */
    ADVERSARIAL,
    /** An ordinary stop (also what {@link Missions#run} uses when the body fails). */
    OPERATOR_INITIATED_CLEAN;

    /**
     * Returns the wire value.
     *
     * @return {@code adversarial} or {@code operator_initiated_clean}
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

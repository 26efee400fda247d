package run.getstack.sdk.mission;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * The owner's decision on a paused mission ({@code stack_review_paused_mission}): {@link #raise(long)}, {@link
 * #continueAsIs()} or {@link #close()}. Only operator and member keys may decide; an agent never decides its own
 * pause.
 */
public final class PauseDecision {
    /** The three decisions. */
    public enum Kind {
        /** Raise the cap that paused the mission to a new limit. */
        RAISE,
        /** Resume with the limits unchanged (a full cap pauses it again). */
        CONTINUE,
        /** End the mission as {@link MissionEndReason#COMPLETED_CAP_BREACHED}, revoking its passports. */
        CLOSE;

        /**
         * Returns the wire value.
         *
         * @return {@code raise}, {@code continue} or {@code close}
         */
        public String wireValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final PauseDecision CONTINUE = new PauseDecision(Kind.CONTINUE, 0);
    private static final PauseDecision CLOSE = new PauseDecision(Kind.CLOSE, 0);

    private final Kind kind;
    private final long limit;

    private PauseDecision(Kind kind, long limit) {
        this.kind = kind;
        this.limit = limit;
    }

    /**
     * Raises the cap that paused the mission (for the per-service cap: the paused service's).
     *
     * @param newLimit the new limit in the cap's unit; the server requires it above the old one
     * @return the decision
     */
    public static PauseDecision raise(long newLimit) {
        if (newLimit <= 0) {
            throw new IllegalArgumentException("newLimit: must be positive, was " + newLimit);
        }
        return new PauseDecision(Kind.RAISE, newLimit);
    }

    /**
     * Resumes the mission with its limits unchanged.
     *
     * @return the decision
     */
    public static PauseDecision continueAsIs() {
        return CONTINUE;
    }

    /**
     * Ends the mission as {@code completed_cap_breached}.
     *
     * @return the decision
     */
    public static PauseDecision close() {
        return CLOSE;
    }

    /**
     * Returns which decision this is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the new limit of a raise.
     *
     * @return the limit, empty unless {@link Kind#RAISE}
     */
    public OptionalLong limit() {
        return kind == Kind.RAISE ? OptionalLong.of(limit) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return kind == Kind.RAISE ? "raise(" + limit + ")" : kind.wireValue();
    }
}

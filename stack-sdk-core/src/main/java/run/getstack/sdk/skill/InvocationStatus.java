package run.getstack.sdk.skill;

/** The state of a skill invocation (wire protocol §10.3). */
public enum InvocationStatus {
    /** Accepted, not started. */
    PENDING,
    /** Running. */
    RUNNING,
    /** Finished with an output. */
    COMPLETED,
    /** Finished with an error ({@link SkillInvocation#error()}), such as {@code SKILL_TIMEOUT}. */
    FAILED,
    /** A state this SDK does not know (sent by a newer server); not finished. */
    UNKNOWN;

    /**
     * Reads the wire value; an unknown one is {@link #UNKNOWN}, never an error.
     *
     * @param s the wire value, such as {@code running}
     * @return the status
     */
    public static InvocationStatus fromWire(String s) {
        return switch (s) {
            case "pending" -> PENDING;
            case "running" -> RUNNING;
            case "completed" -> COMPLETED;
            case "failed" -> FAILED;
            default -> UNKNOWN;
        };
    }

    /**
     * Tells whether the invocation has finished.
     *
     * @return true for {@link #COMPLETED} and {@link #FAILED}
     */
    public boolean isDone() {
        return this == COMPLETED || this == FAILED;
    }
}

package run.getstack.sdk.skill;

import java.util.Objects;

/**
 * Why an invocation failed.
 *
 * @param code the control plane's code, such as {@code SKILL_TIMEOUT} (the run passed STACK's 30-second limit)
 * @param message a bounded excerpt of its message (credential-like text removed)
 */
public record SkillError(String code, String message) {
    /** The code of a run that passed STACK's 30-second sealed-skill limit. */
    public static final String SKILL_TIMEOUT = "SKILL_TIMEOUT";

    /**
     * Creates the value.
     *
     * @param code the code
     * @param message the message
     */
    public SkillError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}

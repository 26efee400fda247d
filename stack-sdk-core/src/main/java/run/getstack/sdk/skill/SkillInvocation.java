package run.getstack.sdk.skill;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of a skill as the control plane reported it (wire protocol §10.3). Immutable.
 *
 * @param invocationId the invocation ({@code sreq_…})
 * @param skillId the skill
 * @param status its state
 * @param output the output once completed, as unmodifiable JSON values (maps, lists, strings, numbers, booleans),
 *     else null
 * @param error why it failed, else null
 * @param createdAt when it was accepted
 * @param completedAt when it finished, else null
 */
public record SkillInvocation(
        String invocationId,
        String skillId,
        InvocationStatus status,
        @Nullable Object output,
        @Nullable SkillError error,
        Instant createdAt,
        @Nullable Instant completedAt) {
    /**
     * Creates the value.
     *
     * @param invocationId the invocation
     * @param skillId the skill
     * @param status the state
     * @param output the output, or null
     * @param error the error, or null
     * @param createdAt when accepted
     * @param completedAt when finished, or null
     */
    public SkillInvocation {
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(skillId, "skillId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Tells whether the invocation has finished (completed or failed).
     *
     * @return true when finished
     */
    public boolean isDone() {
        return status.isDone();
    }

    /**
     * Tells whether the invocation completed with an output.
     *
     * @return true when completed
     */
    public boolean succeeded() {
        return status == InvocationStatus.COMPLETED;
    }
}

package run.getstack.sdk.skill;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * The agent's skill access does not allow this skill ({@code UNAUTHORIZED_SKILL_ACCESS}, HTTP 403). STACK gives agents
 * no skill access by default; the owner allows skills per agent. Not retried.
 */
public class StackSkillAccessException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened (no secret)
     * @param httpStatus the status
     * @param errorCode {@code UNAUTHORIZED_SKILL_ACCESS}
     * @param requestId the request id, if any
     * @param reason {@code error.details.reason}, if any
     * @param retryAfter the server's {@code Retry-After}, if any
     * @param cause the cause, if any
     */
    public StackSkillAccessException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, reason, retryAfter, cause);
    }
}

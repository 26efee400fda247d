package run.getstack.sdk.mission;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackConflictException;

/**
 * An owner decision ({@link Missions#decide}) named a mission that is not paused ({@code MISSION_NOT_PAUSED}, HTTP
 * 409, STACK's {@code stack_review_paused_mission}): there is nothing to decide; read the mission to see its state.
 */
public class StackMissionNotPausedException extends StackConflictException {
    private static final long serialVersionUID = 1L;

    /** STACK's error code: {@value}. */
    public static final String CODE = "MISSION_NOT_PAUSED";

    /**
     * Creates the exception.
     *
     * @param message what was refused, without any secret
     * @param httpStatus the status (409)
     * @param requestId the request id, if known
     * @param cause the mapped server error, if any
     */
    public StackMissionNotPausedException(
            String message, int httpStatus, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, httpStatus, CODE, requestId, null, null, cause);
    }
}

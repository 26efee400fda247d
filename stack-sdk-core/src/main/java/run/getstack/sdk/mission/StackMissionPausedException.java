package run.getstack.sdk.mission;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackConflictException;

/**
 * A call was refused because a cap paused its mission ({@code MISSION_PAUSED}, HTTP 409; {@code httpStatus() == 0}
 * when the SDK refused it without sending, having seen the pause). A paused mission is a state, not a failure to
 * retry: the SDK never retries it. Wait for the owner with {@link Mission#awaitDecision(java.time.Duration)}.
 */
public class StackMissionPausedException extends StackConflictException {
    private static final long serialVersionUID = 1L;

    /** The paused mission, if known. */
    private final @Nullable String missionId;

    /** The cap that paused it, if known. */
    private final @Nullable String pausedCap;

    /** The service of a per-service cap, if any. */
    private final @Nullable String pausedService;

    /**
     * Creates the exception.
     *
     * @param message what happened (no secret)
     * @param httpStatus the status, 0 if refused locally
     * @param errorCode {@code MISSION_PAUSED}
     * @param requestId the request id, if any
     * @param missionId the paused mission, if known
     * @param pausedCap the cap that paused it ({@link MissionLimits#MAX_ACTIONS}, ...), if known
     * @param pausedService the service of a per-service cap, if any
     * @param retryAfter never used for pauses; kept for the hierarchy
     * @param cause the cause, if any
     */
    public StackMissionPausedException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String missionId,
            @Nullable String pausedCap,
            @Nullable String pausedService,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, null, retryAfter, cause);
        this.missionId = missionId;
        this.pausedCap = pausedCap;
        this.pausedService = pausedService;
    }

    /**
     * Returns the paused mission.
     *
     * @return its id, or null if the server did not say
     */
    public @Nullable String missionId() {
        return missionId;
    }

    /**
     * Returns the cap that paused the mission.
     *
     * @return a {@link MissionLimits} cap name, or null if the server did not say
     */
    public @Nullable String pausedCap() {
        return pausedCap;
    }

    /**
     * Returns the service whose per-service cap paused the mission.
     *
     * @return the provider slug, or null
     */
    public @Nullable String pausedService() {
        return pausedService;
    }
}

package run.getstack.sdk.mission;

import run.getstack.sdk.StackException;

/**
 * Hears about the missions this client holds. Called on the thread that noticed the change (a caller's, or the
 * client's scheduler): return quickly and do not block. An exception thrown here is logged and ignored.
 */
public interface MissionListener {
    /**
     * A cap paused the mission; calls under it now fail with {@link StackMissionPausedException}.
     *
     * @param missionId the mission
     * @param pause the refusal that showed it (names the cap and service)
     */
    default void paused(String missionId, StackMissionPausedException pause) {}

    /**
     * The owner let the mission go on ({@code raise} or {@code continue}).
     *
     * @param mission the mission as it is now
     */
    default void resumed(MissionInfo mission) {}

    /**
     * The mission ended (completed, closed, renewed or revoked); its passports are revoked.
     *
     * @param missionId the mission
     * @param status how it ended
     */
    default void ended(String missionId, MissionStatus status) {}

    /**
     * Scheduled checkpoints kept failing until the mission's passport expired: the passport is gone.
     *
     * @param missionId the mission
     * @param failure the typed error its calls now fail with
     */
    default void checkpointsFailed(String missionId, StackException failure) {}
}

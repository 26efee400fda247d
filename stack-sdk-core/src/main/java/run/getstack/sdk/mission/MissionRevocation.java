package run.getstack.sdk.mission;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a mission revoke ({@code POST /v1/missions/{id}/revoke}).
 *
 * @param missionId the mission
 * @param status its state after the call
 * @param endReason why it ended (after a second revoke: the first end's reason)
 * @param transitioned false when the mission had already ended (the prior state is returned)
 * @param revokedJtis the passports this call revoked ({@code []} when not transitioned)
 */
public record MissionRevocation(
        String missionId,
        MissionStatus status,
        @Nullable MissionEndReason endReason,
        boolean transitioned,
        List<String> revokedJtis) {
    /**
     * Checks and copies the components.
     *
     * @param missionId the mission
     * @param status its state after the call
     * @param endReason why it ended
     * @param transitioned false when the mission had already ended
     * @param revokedJtis the passports this call revoked
     */
    public MissionRevocation {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(status, "status");
        revokedJtis = List.copyOf(Objects.requireNonNull(revokedJtis, "revokedJtis"));
    }
}

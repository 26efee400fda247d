package run.getstack.sdk.mission;

import java.util.Map;
import java.util.Objects;

/**
 * What a mission has used so far, as the control plane counts it against its {@link MissionLimits}.
 *
 * @param actions credential fetches, lease grants and proxy calls
 * @param cents cost
 * @param seconds running time
 * @param bytes proxied bytes
 * @param actionsByService actions per provider slug
 */
public record MissionUsage(long actions, long cents, long seconds, long bytes, Map<String, Long> actionsByService) {
    /** An empty usage. */
    public static final MissionUsage NONE = new MissionUsage(0, 0, 0, 0, Map.of());

    /**
     * Checks and copies the components.
     *
     * @param actions credential fetches, lease grants and proxy calls
     * @param cents cost
     * @param seconds running time
     * @param bytes proxied bytes
     * @param actionsByService actions per provider slug
     */
    public MissionUsage {
        actionsByService = Map.copyOf(Objects.requireNonNull(actionsByService, "actionsByService"));
        if (actions < 0 || cents < 0 || seconds < 0 || bytes < 0) {
            throw new IllegalArgumentException("usage: counts must not be negative");
        }
    }
}

package run.getstack.sdk.mission;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A mission as the control plane last described it ({@code docs/wire-protocol.md} §10.4.1). Never holds a token.
 *
 * @param missionId {@code ms_...}
 * @param agentId the agent it is assigned to, null if unassigned
 * @param status its state
 * @param endReason why it ended, null while live
 * @param intentSummary what it is for
 * @param services the provider slugs it is for
 * @param limits its caps
 * @param usage what it has used
 * @param pausedCap while paused: the cap that paused it (a {@link MissionLimits} name), else null
 * @param pausedService while paused on the per-service cap: the service, else null
 * @param outputDigest after completion with output: {@code sha256:<hex>}, else null
 * @param checkpointInterval the checkpoint interval of enforced agents, else null
 * @param passportJti the passport the start or renewal issued, if any
 * @param renewedFrom the mission this one renewed, if any
 * @param renewedTo the mission that renewed this one, if any
 * @param startedAt when it started
 * @param endedAt when it ended, null while live
 */
public record MissionInfo(
        String missionId,
        @Nullable String agentId,
        MissionStatus status,
        @Nullable MissionEndReason endReason,
        String intentSummary,
        List<String> services,
        MissionLimits limits,
        MissionUsage usage,
        @Nullable String pausedCap,
        @Nullable String pausedService,
        @Nullable String outputDigest,
        @Nullable Duration checkpointInterval,
        @Nullable String passportJti,
        @Nullable String renewedFrom,
        @Nullable String renewedTo,
        Instant startedAt,
        @Nullable Instant endedAt) {
    /**
     * Checks and copies the components.
     *
     * @param missionId {@code ms_...}
     * @param agentId the agent it is assigned to, null if unassigned
     * @param status its state
     * @param endReason why it ended, null while live
     * @param intentSummary what it is for
     * @param services the provider slugs it is for
     * @param limits its caps
     * @param usage what it has used
     * @param pausedCap while paused: the cap that paused it, else null
     * @param pausedService while paused on the per-service cap: the service, else null
     * @param outputDigest after completion with output: {@code sha256:<hex>}, else null
     * @param checkpointInterval the checkpoint interval of enforced agents, else null
     * @param passportJti the passport the start or renewal issued, if any
     * @param renewedFrom the mission this one renewed, if any
     * @param renewedTo the mission that renewed this one, if any
     * @param startedAt when it started
     * @param endedAt when it ended, null while live
     */
    public MissionInfo {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(intentSummary, "intentSummary");
        services = List.copyOf(Objects.requireNonNull(services, "services"));
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * Returns the cap that paused the mission.
     *
     * @return the cap name, empty unless paused
     */
    public Optional<String> paused() {
        return status == MissionStatus.PAUSED ? Optional.ofNullable(pausedCap) : Optional.empty();
    }
}

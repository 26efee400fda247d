package run.getstack.sdk.dropoff;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A drop-off as the control plane reports it. It never holds the package.
 *
 * @param id the drop-off's id ({@code drp_...})
 * @param status where it stands
 * @param fromAgent the sending agent
 * @param toAgents the recipients (at least one)
 * @param createdAt when it was created
 * @param expiresAt when it expires (its package is deleted then if nobody collected it)
 * @param depositedAt when the package was deposited, or null
 * @param collectedBy the agent that collected the package, or null
 * @param collectedAt when it was collected, or null
 * @param missionId the mission the package was deposited under, or null
 */
public record Dropoff(
        String id,
        DropoffStatus status,
        String fromAgent,
        List<String> toAgents,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant depositedAt,
        @Nullable String collectedBy,
        @Nullable Instant collectedAt,
        @Nullable String missionId) {
    /**
     * Creates the value, checking its components.
     *
     * @param id the drop-off's id ({@code drp_...})
     * @param status where it stands
     * @param fromAgent the sending agent
     * @param toAgents the recipients (at least one)
     * @param createdAt when it was created
     * @param expiresAt when it expires
     * @param depositedAt when the package was deposited, or null
     * @param collectedBy the agent that collected the package, or null
     * @param collectedAt when it was collected, or null
     * @param missionId the mission the package was deposited under, or null
     */
    public Dropoff {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(fromAgent, "fromAgent");
        toAgents = List.copyOf(Objects.requireNonNull(toAgents, "toAgents"));
        if (toAgents.isEmpty()) {
            throw new IllegalArgumentException("toAgents: must name at least one recipient");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Returns who collected the package, if someone did.
     *
     * @return the collecting agent
     */
    public Optional<String> collector() {
        return Optional.ofNullable(collectedBy);
    }
}

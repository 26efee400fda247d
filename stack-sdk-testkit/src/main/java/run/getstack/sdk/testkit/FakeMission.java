package run.getstack.sdk.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A mission of the fake as it is now (wire protocol §10.4.1), for test assertions; see {@link MissionOwner}.
 *
 * @param missionId {@code ms_...}
 * @param agentId the assigned agent, null while unassigned
 * @param status {@code active}, {@code paused}, {@code completed} or {@code revoked}
 * @param endReason why it ended, null while live
 * @param pausedCap while paused: the cap that paused it
 * @param pausedService while paused on the per-service cap: the service
 * @param actions actions counted (credential fetches, lease grants, proxy calls)
 * @param actionsByService actions per provider slug
 * @param cents cents charged (proxy calls at the price set by {@link Seed#proxyCallPrice(String, long)})
 * @param bytes proxied request and response body bytes
 * @param limits the caps ({@code max_actions}, ..., and {@code max_actions_per_service.<slug>})
 * @param passportJtis every passport bound to it, delegated children included, in issue order
 * @param outputDigest {@code sha256:<hex>} of the completion output, if any
 * @param notes the revoke notes, if any
 * @param startedAt when it started
 */
public record FakeMission(
        String missionId,
        @Nullable String agentId,
        String status,
        @Nullable String endReason,
        @Nullable String pausedCap,
        @Nullable String pausedService,
        long actions,
        Map<String, Long> actionsByService,
        long cents,
        long bytes,
        Map<String, Long> limits,
        List<String> passportJtis,
        @Nullable String outputDigest,
        @Nullable String notes,
        Instant startedAt) {
    /**
     * Copies the collections.
     *
     * @param missionId {@code ms_...}
     * @param agentId the assigned agent
     * @param status the state
     * @param endReason why it ended
     * @param pausedCap the cap that paused it
     * @param pausedService the service of a per-service pause
     * @param actions actions counted
     * @param actionsByService actions per service
     * @param cents cents charged
     * @param bytes bytes proxied
     * @param limits the caps
     * @param passportJtis its passports
     * @param outputDigest the output digest
     * @param notes the revoke notes
     * @param startedAt when it started
     */
    public FakeMission {
        actionsByService = Map.copyOf(actionsByService);
        limits = Map.copyOf(limits);
        passportJtis = List.copyOf(passportJtis);
    }
}

package run.getstack.sdk.audit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the audit writer's counters, for metrics and health checks. The counters of one snapshot agree with
 * each other: every event recorded in this process is counted once, either waiting in memory or in the spool ({@code
 * queueDepth + spooled == recorded}), and once more as answered or not ({@code acknowledged + rejected +
 * unacknowledged} is {@code recorded} plus the events an earlier process left unanswered in the spool), even while the
 * writer moves events between those states.
 *
 * @param recorded events accepted by {@code record()} in this process (the writer's own and the SDK's)
 * @param sent events sent to the control plane, counting every resend
 * @param acknowledged events the control plane accepted or reported as duplicates of accepted ones
 * @param spooled events written to the spool in this process
 * @param replayed events found unacknowledged in the spool at start (left by an earlier process) and sent again
 * @param rejected events the control plane rejected
 * @param rejectedByCode the rejections by the control plane's code (e.g. {@code CHAIN_BROKEN})
 * @param dropped events lost without an error to the caller: always 0 (no policy of this writer drops events)
 * @param queueDepth events waiting in memory for the writer's thread
 * @param unacknowledged events spooled or queued that the control plane has not answered yet
 * @param oldestUnacknowledgedAge how long the oldest of those has waited (zero when none), on the client's clock
 * @param tornRecordsCut incomplete or corrupt records cut from the spool's tail at start (after a crash)
 * @param state whether the control plane is taking events
 * @param lastFailure the last delivery or spool failure (no secret), or null
 */
public record AuditStats(
        long recorded,
        long sent,
        long acknowledged,
        long spooled,
        long replayed,
        long rejected,
        Map<String, Long> rejectedByCode,
        long dropped,
        long queueDepth,
        long unacknowledged,
        Duration oldestUnacknowledgedAge,
        long tornRecordsCut,
        AuditDeliveryState state,
        @Nullable String lastFailure) {

    /**
     * Copies the map.
     *
     * @param recorded see the record component
     * @param sent see the record component
     * @param acknowledged see the record component
     * @param spooled see the record component
     * @param replayed see the record component
     * @param rejected see the record component
     * @param rejectedByCode see the record component
     * @param dropped see the record component
     * @param queueDepth see the record component
     * @param unacknowledged see the record component
     * @param oldestUnacknowledgedAge see the record component
     * @param tornRecordsCut see the record component
     * @param state see the record component
     * @param lastFailure see the record component
     */
    public AuditStats {
        rejectedByCode = Map.copyOf(Objects.requireNonNull(rejectedByCode, "rejectedByCode"));
        Objects.requireNonNull(oldestUnacknowledgedAge, "oldestUnacknowledgedAge");
        Objects.requireNonNull(state, "state");
    }

    /**
     * Returns the last failure.
     *
     * @return the description, if any
     */
    public Optional<String> lastFailureDescription() {
        return Optional.ofNullable(lastFailure);
    }
}

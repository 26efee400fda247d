package run.getstack.sdk.audit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The chained fields of one client audit event (docs/wire-protocol.md §8.5), as sent to STACK and as an export
 * shows them; the input of {@link ClientChainVerifier}.
 *
 * @param eventId the event id (a UUID)
 * @param timestamp the client's Unix milliseconds
 * @param agentId the agent
 * @param passportJti the passport, or null
 * @param action the dotted action
 * @param outcome the wire outcome ({@code success}, {@code failure}, {@code pending}, {@code blocked})
 * @param clientSeq the per-agent sequence number, from 1
 * @param clientPrevHash the previous event's {@code clientHash} (64 zeros for the first)
 * @param clientHash this event's hash
 */
public record ChainedAuditEvent(
        String eventId,
        long timestamp,
        String agentId,
        @Nullable String passportJti,
        String action,
        String outcome,
        long clientSeq,
        String clientPrevHash,
        String clientHash) {
    /**
     * Checks that the non-null fields are present.
     *
     * @param eventId see the record component
     * @param timestamp see the record component
     * @param agentId see the record component
     * @param passportJti see the record component
     * @param action see the record component
     * @param outcome see the record component
     * @param clientSeq see the record component
     * @param clientPrevHash see the record component
     * @param clientHash see the record component
     */
    public ChainedAuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(clientPrevHash, "clientPrevHash");
        Objects.requireNonNull(clientHash, "clientHash");
    }
}

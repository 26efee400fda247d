package run.getstack.sdk.audit;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ClientChainVerifier} found.
 *
 * @param valid whether every event recomputes and links to its predecessor
 * @param checked events examined, up to and including the first bad one
 * @param firstBadEventId the first event that fails, or null when valid
 * @param reason why it fails, or null when valid
 */
public record ClientChainVerification(
        boolean valid,
        int checked,
        @Nullable String firstBadEventId,
        @Nullable Reason reason) {

    /** Why an event breaks the chain. */
    public enum Reason {
        /** Its {@code client_hash} does not recompute from its fields: the event was altered. */
        HASH_MISMATCH,
        /** Its {@code client_prev_hash} is not the previous event's hash: an event was removed, inserted or swapped. */
        PREV_HASH_MISMATCH,
        /** Its {@code client_seq} is not the previous one plus 1 (or not 1 for a chain from genesis). */
        SEQ_MISMATCH,
        /** It belongs to another agent than the first event. */
        AGENT_MISMATCH
    }

    /**
     * Returns the first bad event's id.
     *
     * @return the id, empty when valid
     */
    public Optional<String> firstBadEvent() {
        return Optional.ofNullable(firstBadEventId);
    }
}

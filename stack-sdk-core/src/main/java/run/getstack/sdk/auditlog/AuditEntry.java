package run.getstack.sdk.auditlog;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of STACK's hash-chained audit log. {@code layer}, {@code action} and {@code outcome} are kept as STACK
 * writes them (STACK adds actions over time). Immutable.
 *
 * @param entryId the entry's id ({@code aud_…})
 * @param timestampMillis when STACK appended it, Unix milliseconds
 * @param traceId the request id that wrote it, or null
 * @param spanId the span id, or null
 * @param parentSpanId the parent span id, or null
 * @param operatorId the operator whose chain holds it
 * @param agentId the agent, or null
 * @param passportJti the passport, or null
 * @param layer {@code vault}, {@code proxy}, {@code dropoff}, {@code skills}, {@code system}, {@code agent}, ...
 * @param action the dotted action, e.g. {@code passport.issue}
 * @param outcome {@code success}, {@code failure}, {@code pending} or {@code blocked}
 * @param durationMs the duration, or null
 * @param payloadHash SHA-256 hex of the operation's payload, or null
 * @param errorCode the error code of a failure, or null
 * @param errorMessage the error message of a failure, or null
 * @param detailsJson action-specific details as compact JSON, or null (absent, or read from CSV)
 * @param clientJson for entries an agent reported, its client fields as compact JSON, else null
 * @param prevEntryHash the previous entry's hash (64 zeros for the first)
 * @param entryHash this entry's hash
 */
public record AuditEntry(
        String entryId,
        long timestampMillis,
        @Nullable String traceId,
        @Nullable String spanId,
        @Nullable String parentSpanId,
        String operatorId,
        @Nullable String agentId,
        @Nullable String passportJti,
        String layer,
        String action,
        String outcome,
        @Nullable Long durationMs,
        @Nullable String payloadHash,
        @Nullable String errorCode,
        @Nullable String errorMessage,
        @Nullable String detailsJson,
        @Nullable String clientJson,
        String prevEntryHash,
        String entryHash) {

    /**
     * Checks the required values.
     *
     * @param entryId the id
     * @param timestampMillis the time
     * @param traceId the trace id
     * @param spanId the span id
     * @param parentSpanId the parent span id
     * @param operatorId the operator
     * @param agentId the agent
     * @param passportJti the passport
     * @param layer the layer
     * @param action the action
     * @param outcome the outcome
     * @param durationMs the duration
     * @param payloadHash the payload hash
     * @param errorCode the error code
     * @param errorMessage the error message
     * @param detailsJson the details
     * @param clientJson the client fields
     * @param prevEntryHash the previous hash
     * @param entryHash the hash
     */
    public AuditEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(prevEntryHash, "prevEntryHash");
        Objects.requireNonNull(entryHash, "entryHash");
    }

    /**
     * Returns the append time as an instant.
     *
     * @return the time
     */
    public Instant timestamp() {
        return Instant.ofEpochMilli(timestampMillis);
    }
}

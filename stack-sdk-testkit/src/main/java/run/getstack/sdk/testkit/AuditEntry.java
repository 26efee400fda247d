package run.getstack.sdk.testkit;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the fake's hash-chained audit log, as STACK's {@code GET /v1/audit} shows it.
 *
 * @param entryId {@code aud_…}
 * @param timestamp append time, Unix milliseconds of the fake's clock
 * @param traceId the request id of the request that wrote it, or null
 * @param operatorId owning operator
 * @param agentId agent, or null
 * @param passportJti passport, or null
 * @param layer {@code vault}, {@code system}, {@code agent}, …
 * @param action dotted action name, e.g. {@code passport.issue}
 * @param outcome {@code success}, {@code failure}, {@code pending} or {@code blocked}
 * @param durationMs duration, or null
 * @param payloadHash SHA-256 hex of a payload, or null
 * @param errorCode error code on failure, or null
 * @param detailsJson action-specific details as compact JSON (never secrets), {@code {}} when none
 * @param clientJson for client-ingested ({@code agent} layer) entries the client fields as compact JSON, else null
 * @param prevEntryHash the previous entry's hash (64 zeros for the first)
 * @param entryHash this entry's hash
 */
public record AuditEntry(
        String entryId,
        long timestamp,
        @Nullable String traceId,
        String operatorId,
        @Nullable String agentId,
        @Nullable String passportJti,
        String layer,
        String action,
        String outcome,
        @Nullable Long durationMs,
        @Nullable String payloadHash,
        @Nullable String errorCode,
        String detailsJson,
        @Nullable String clientJson,
        String prevEntryHash,
        String entryHash) {

    /**
     * Returns a copy with another action, its hashes unchanged (a forged entry, for tamper tests).
     *
     * @param newAction the action
     * @return the copy
     */
    public AuditEntry withAction(String newAction) {
        return copy(newAction, outcome, durationMs);
    }

    /**
     * Returns a copy with another outcome, its hashes unchanged (a forged entry, for tamper tests).
     *
     * @param newOutcome the outcome
     * @return the copy
     */
    public AuditEntry withOutcome(String newOutcome) {
        return copy(action, newOutcome, durationMs);
    }

    /**
     * Returns a copy with a duration (not part of the hash preimage).
     *
     * @param newDurationMs the duration in milliseconds
     * @return the copy
     */
    public AuditEntry withDurationMs(@Nullable Long newDurationMs) {
        return copy(action, outcome, newDurationMs);
    }

    private AuditEntry copy(String newAction, String newOutcome, @Nullable Long newDurationMs) {
        return new AuditEntry(
                entryId,
                timestamp,
                traceId,
                operatorId,
                agentId,
                passportJti,
                layer,
                newAction,
                newOutcome,
                newDurationMs,
                payloadHash,
                errorCode,
                detailsJson,
                clientJson,
                prevEntryHash,
                entryHash);
    }
}

package run.getstack.sdk.testkit.internal.audit;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.crypto.Hashes;

/** Internal, not for public use. The hash preimages of the server chain (STACK's) and the client chain (§8.5). */
public final class AuditChain {
    /** Genesis previous-hash of every chain. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /**
     * STACK's documented entry hash: SHA-256 over the fixed-order JSON of eight fields.
     *
     * @param entryId entry id
     * @param timestamp ms
     * @param operatorId operator
     * @param agentId agent or null
     * @param layer layer
     * @param action action
     * @param outcome outcome
     * @param prevEntryHash previous hash
     * @return lower-case hex
     */
    public static String entryHash(
            String entryId,
            long timestamp,
            String operatorId,
            @Nullable String agentId,
            String layer,
            String action,
            String outcome,
            String prevEntryHash) {
        StringBuilder sb = new StringBuilder("{\"entry_id\":");
        Json.appendJsString(sb, entryId);
        sb.append(",\"timestamp\":").append(timestamp);
        sb.append(",\"operator_id\":");
        Json.appendJsString(sb, operatorId);
        sb.append(",\"agent_id\":");
        Json.appendJsString(sb, agentId);
        sb.append(",\"layer\":");
        Json.appendJsString(sb, layer);
        sb.append(",\"action\":");
        Json.appendJsString(sb, action);
        sb.append(",\"outcome\":");
        Json.appendJsString(sb, outcome);
        sb.append(",\"prev_entry_hash\":");
        Json.appendJsString(sb, prevEntryHash);
        sb.append('}');
        return Hashes.sha256Hex(sb.toString());
    }

    /**
     * The client chain hash of an ingested event.
     *
     * @param eventId event id
     * @param timestamp ms
     * @param agentId agent
     * @param jti passport or null
     * @param action action
     * @param outcome outcome
     * @param seq client seq
     * @param prev previous client hash
     * @return lower-case hex
     */
    public static String clientHash(
            String eventId,
            long timestamp,
            String agentId,
            @Nullable String jti,
            String action,
            String outcome,
            long seq,
            String prev) {
        StringBuilder sb = new StringBuilder("{\"event_id\":");
        Json.appendJsString(sb, eventId);
        sb.append(",\"timestamp\":").append(timestamp);
        sb.append(",\"agent_id\":");
        Json.appendJsString(sb, agentId);
        sb.append(",\"passport_jti\":");
        Json.appendJsString(sb, jti);
        sb.append(",\"action\":");
        Json.appendJsString(sb, action);
        sb.append(",\"outcome\":");
        Json.appendJsString(sb, outcome);
        sb.append(",\"client_seq\":").append(seq);
        sb.append(",\"client_prev_hash\":");
        Json.appendJsString(sb, prev);
        sb.append('}');
        return Hashes.sha256Hex(sb.toString());
    }
}

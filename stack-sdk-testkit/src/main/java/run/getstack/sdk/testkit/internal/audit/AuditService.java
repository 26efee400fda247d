package run.getstack.sdk.testkit.internal.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.ChainVerification;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. The append-only, hash-chained audit log every module writes to (call {@code
 * append} under the state lock), and its read, verify and tamper hooks (these lock themselves).
 */
public final class AuditService {
    private final FakeState state;
    private final AuditStore store;

    AuditService(FakeState state, AuditStore store) {
        this.state = state;
        this.store = store;
    }

    /**
     * Appends a server entry.
     *
     * @param operatorId operator
     * @param agentId agent or null
     * @param jti passport or null
     * @param action action
     * @param outcome outcome
     * @param traceId request id or null
     * @param details details or null
     * @return the entry
     */
    public AuditEntry append(
            String operatorId,
            @Nullable String agentId,
            @Nullable String jti,
            String action,
            String outcome,
            @Nullable String traceId,
            @Nullable ObjectNode details) {
        return append(operatorId, agentId, jti, action, outcome, traceId, details, null, null, null, null);
    }

    /**
     * Appends an entry with every optional part.
     *
     * @param operatorId operator
     * @param agentId agent or null
     * @param jti passport or null
     * @param action action
     * @param outcome outcome
     * @param traceId request id or null
     * @param details details or null
     * @param errorCode error code or null
     * @param layerOverride layer, or null to derive it from the action
     * @param payloadHash payload hash or null
     * @param client client-chain members or null
     * @return the entry
     */
    public AuditEntry append(
            String operatorId,
            @Nullable String agentId,
            @Nullable String jti,
            String action,
            String outcome,
            @Nullable String traceId,
            @Nullable ObjectNode details,
            @Nullable String errorCode,
            @Nullable String layerOverride,
            @Nullable String payloadHash,
            @Nullable ObjectNode client) {
        List<AuditEntry> chain = store.chain(operatorId);
        String prev = chain.isEmpty()
                ? AuditChain.GENESIS
                : chain.get(chain.size() - 1).entryHash();
        String layer = layerOverride != null ? layerOverride : layerOf(action);
        String entryId = Wire.id("aud_");
        long ts = state.now().toEpochMilli();
        if (!chain.isEmpty()) {
            ts = Math.max(ts, chain.get(chain.size() - 1).timestamp());
        }
        String hash = AuditChain.entryHash(entryId, ts, operatorId, agentId, layer, action, outcome, prev);
        AuditEntry e = new AuditEntry(
                entryId,
                ts,
                traceId,
                operatorId,
                agentId,
                jti,
                layer,
                action,
                outcome,
                null,
                payloadHash,
                errorCode,
                details == null ? "{}" : Json.write(details),
                client == null ? null : Json.write(client),
                prev,
                hash);
        chain.add(e);
        return e;
    }

    private static String layerOf(String action) {
        if (action.startsWith("credential.")) {
            return "vault";
        }
        if (action.startsWith("dropoff.")) {
            return "dropoff";
        }
        if (action.startsWith("skill.")) {
            return "skills";
        }
        return "system";
    }

    /**
     * Replaces the last entry of a chain (to add a duration, which is outside the hash); under the lock.
     *
     * @param operatorId operator
     * @param e the entry
     */
    void replaceLast(String operatorId, AuditEntry e) {
        List<AuditEntry> chain = store.chain(operatorId);
        chain.set(chain.size() - 1, e);
    }

    /**
     * A snapshot of an operator's chain in append order.
     *
     * @param operatorId operator
     * @return entries
     */
    public List<AuditEntry> entries(String operatorId) {
        return state.locked(() -> List.copyOf(store.chains.getOrDefault(operatorId, List.of())));
    }

    /**
     * Verifies an operator's chain.
     *
     * @param operatorId operator
     * @return the result
     */
    public ChainVerification verifyChain(String operatorId) {
        return state.locked(() -> {
            List<AuditEntry> chain = store.chains.getOrDefault(operatorId, List.of());
            String prev = AuditChain.GENESIS;
            int checked = 0;
            for (AuditEntry e : chain) {
                checked++;
                String recomputed = AuditChain.entryHash(
                        e.entryId(),
                        e.timestamp(),
                        e.operatorId(),
                        e.agentId(),
                        e.layer(),
                        e.action(),
                        e.outcome(),
                        e.prevEntryHash());
                if (!recomputed.equals(e.entryHash())) {
                    return new ChainVerification(false, checked, e.entryId(), "hash_mismatch");
                }
                if (!e.prevEntryHash().equals(prev)) {
                    return new ChainVerification(false, checked, e.entryId(), "prev_hash_mismatch");
                }
                prev = e.entryHash();
            }
            return new ChainVerification(true, checked, null, null);
        });
    }

    /**
     * Tamper hook: replaces the entry at an index (without recomputing any hash).
     *
     * @param operatorId operator
     * @param index position
     * @param replacement new entry
     */
    public void tamperReplace(String operatorId, int index, AuditEntry replacement) {
        state.locked(() -> {
            store.chain(operatorId).set(index, replacement);
        });
    }

    /**
     * Tamper hook: removes the entry at an index.
     *
     * @param operatorId operator
     * @param index position
     */
    public void tamperRemove(String operatorId, int index) {
        state.locked(() -> {
            store.chain(operatorId).remove(index);
        });
    }

    /**
     * Tamper hook: swaps two entries.
     *
     * @param operatorId operator
     * @param i first
     * @param j second
     */
    public void tamperSwap(String operatorId, int i, int j) {
        state.locked(() -> {
            List<AuditEntry> chain = store.chain(operatorId);
            AuditEntry a = chain.get(i);
            chain.set(i, chain.get(j));
            chain.set(j, a);
        });
    }

    /**
     * Sets how many rows one export page holds (§8.3; STACK's maximum unless a test wants many pages).
     *
     * @param rows 1 to 50,000
     */
    public void exportPageSize(int rows) {
        if (rows < 1 || rows > AuditExport.MAX_PAGE) {
            throw new IllegalArgumentException("exportPageSize must be 1-" + AuditExport.MAX_PAGE + ": " + rows);
        }
        state.locked(() -> {
            store.exportPageSize = rows;
        });
    }

    /**
     * The export page size, read under the lock.
     *
     * @return rows per page
     */
    int exportPageSizeLocked() {
        return store.exportPageSize;
    }

    /**
     * The wire form of an audit entry.
     *
     * @param e entry
     * @return JSON
     */
    public static ObjectNode auditJson(AuditEntry e) {
        ObjectNode o = Json.object();
        o.put("entry_id", e.entryId());
        o.put("timestamp", e.timestamp());
        o.put("trace_id", e.traceId());
        o.putNull("span_id");
        o.putNull("parent_span_id");
        o.put("operator_id", e.operatorId());
        o.put("agent_id", e.agentId());
        o.put("passport_jti", e.passportJti());
        o.put("layer", e.layer());
        o.put("action", e.action());
        o.put("outcome", e.outcome());
        if (e.durationMs() == null) {
            o.putNull("duration_ms");
        } else {
            o.put("duration_ms", e.durationMs());
        }
        o.put("payload_hash", e.payloadHash());
        o.put("error_code", e.errorCode());
        o.putNull("error_message");
        try {
            o.set("details", Json.MAPPER.readTree(e.detailsJson()));
            if (e.clientJson() != null) {
                o.set("client", Json.MAPPER.readTree(e.clientJson()));
            }
        } catch (IOException ex) {
            throw new IllegalStateException("stored audit JSON unreadable", ex);
        }
        o.put("prev_entry_hash", e.prevEntryHash());
        o.put("entry_hash", e.entryHash());
        return o;
    }

    /**
     * The chain of an operator for reading under the lock.
     *
     * @param operatorId operator
     * @return the live list (do not modify)
     */
    List<AuditEntry> chainLocked(String operatorId) {
        return store.chains.getOrDefault(operatorId, List.of());
    }
}

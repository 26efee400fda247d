package run.getstack.sdk.testkit.internal.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.state.Services;

/** Internal, not for public use. {@code POST /v1/audit/events} (wire protocol §8.5): the agent's own chain, checked. */
final class AuditIngest {
    private static final Pattern ACTION = Pattern.compile("^[a-z0-9_]+(\\.[a-z0-9_]+)*$");
    private static final Pattern HEX64 = Pattern.compile("^[0-9a-f]{64}$");

    private final Services services;
    private final AuditService audit;
    private final AuditStore store;

    AuditIngest(Services services, AuditService audit, AuditStore store) {
        this.services = services;
        this.audit = audit;
        this.store = store;
    }

    ObjectNode ingest(Call call) {
        Body b = call.body(false);
        List<Body> evs = b.optObjects("events", Integer.MAX_VALUE);
        if (evs == null || evs.isEmpty()) {
            throw ApiError.invalid("events", "must have 1-500 events");
        }
        if (evs.size() > 500) {
            throw new ApiError(413, "PAYLOAD_TOO_LARGE", "At most 500 events per request", null);
        }
        ObjectNode root = Json.object();
        ArrayNode accepted = root.putArray("accepted");
        ArrayNode duplicates = root.putArray("duplicates");
        ArrayNode rejected = root.putArray("rejected");
        for (Body ev : evs) {
            String eventId = ev.node().path("event_id").asText("");
            try {
                ingestOne(call, ev, accepted, duplicates);
            } catch (ApiError e) {
                ObjectNode r = rejected.addObject();
                r.put("event_id", eventId);
                r.put("code", e.code());
                r.put("message", e.messageText());
            }
        }
        return root;
    }

    private static ApiError reject(String code, String message) {
        return new ApiError(200, code, message, null);
    }

    private void ingestOne(Call call, Body ev, ArrayNode accepted, ArrayNode duplicates) {
        String opId = call.operatorId();
        String trace = call.requestId();
        String eventId = ev.reqString("event_id", 64);
        long ts = ev.reqLong("timestamp", 0, Long.MAX_VALUE);
        String agentId = ev.reqString("agent_id", 128);
        String jti = ev.optString("passport_jti", 128);
        String layer = ev.reqString("layer", 16);
        if (!layer.equals("agent")) {
            throw ApiError.invalid("layer", "must be agent");
        }
        String action = ev.reqString("action", 128);
        if (!ACTION.matcher(action).matches()) {
            throw ApiError.invalid("action", "must be dotted lower-case words");
        }
        String outcome = ev.optEnum("outcome", List.of("success", "failure", "pending", "blocked"));
        if (outcome == null) {
            throw ApiError.invalid("outcome", "is required");
        }
        Long duration = ev.optLong("duration_ms", 0, Long.MAX_VALUE);
        Body detail = ev.optObject("detail");
        if (detail != null && Json.write(detail.node()).getBytes(StandardCharsets.UTF_8).length > 8192) {
            throw new ApiError(413, "PAYLOAD_TOO_LARGE", "detail over 8 KiB", null);
        }
        long seq = ev.reqLong("client_seq", 1, Long.MAX_VALUE);
        String prev = ev.reqString("client_prev_hash", 64);
        String hash = ev.reqString("client_hash", 64);
        if (!HEX64.matcher(prev).matches() || !HEX64.matcher(hash).matches()) {
            throw ApiError.invalid("client_hash", "must be 64 lower-case hex");
        }
        Agent a = services.get(AgentService.class).find(agentId);
        String actor = call.agentId();
        if (a == null || !a.operatorId.equals(opId) || (actor != null && !actor.equals(agentId))) {
            throw new ApiError(200, "FORBIDDEN", "agent is not the caller's", null);
        }
        String fingerprint = Json.write(ev.node());
        AuditStore.ClientChainState st = store.clientChains.get(agentId);
        if (st != null && st.acceptedFingerprints.containsKey(eventId)) {
            if (st.acceptedFingerprints.get(eventId).equals(fingerprint)) {
                duplicates.add(eventId);
                return;
            }
            throw reject("CONFLICT", "event_id already accepted with different fields");
        }
        String recomputed = AuditChain.clientHash(eventId, ts, agentId, jti, action, outcome, seq, prev);
        if (!recomputed.equals(hash)) {
            throw reject("CHAIN_HASH_MISMATCH", "client_hash does not recompute");
        }
        if (seq == 1 && prev.equals(AuditChain.GENESIS)) {
            if (st != null) {
                ObjectNode d = Json.object();
                d.put("previous_seq", st.lastSeq);
                audit.append(opId, agentId, null, "client_chain.restart", "success", trace, d);
            }
        } else if (st == null) {
            ObjectNode d = Json.object();
            d.putNull("expected_seq");
            d.put("got_seq", seq);
            audit.append(opId, agentId, null, "client_chain.gap", "failure", trace, d);
        } else if (seq == st.lastSeq + 1) {
            if (!prev.equals(st.lastHash)) {
                throw reject("CHAIN_BROKEN", "client_prev_hash does not match the previous event");
            }
        } else if (seq > st.lastSeq + 1) {
            ObjectNode d = Json.object();
            d.put("expected_seq", st.lastSeq + 1);
            d.put("got_seq", seq);
            audit.append(opId, agentId, null, "client_chain.gap", "failure", trace, d);
        } else {
            throw reject("CHAIN_SEQ_REPLAY", "client_seq already used");
        }
        AuditStore.ClientChainState state =
                store.clientChains.computeIfAbsent(agentId, k -> new AuditStore.ClientChainState());
        state.lastSeq = seq;
        state.lastHash = hash;
        state.acceptedFingerprints.put(eventId, fingerprint);
        ObjectNode client = Json.object();
        client.put("event_id", eventId);
        client.put("timestamp", ts);
        client.put("client_seq", seq);
        client.put("client_prev_hash", prev);
        client.put("client_hash", hash);
        client.set("detail", detail == null ? null : detail.node());
        AuditEntry e = audit.append(opId, agentId, jti, action, outcome, trace, null, null, "agent", hash, client);
        if (duration != null) {
            audit.replaceLast(opId, e.withDurationMs(duration));
        }
        accepted.add(eventId);
    }
}

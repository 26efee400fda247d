package run.getstack.sdk.testkit.internal.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.SecurityEvent;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.state.FakeState;

/** Internal, not for public use. Security events (wire protocol §9.1): list, get, resolve, and a snapshot. */
public final class SecurityEvents {
    private final FakeState state;
    private final EventStore store;

    SecurityEvents(FakeState state, EventStore store) {
        this.state = state;
        this.store = store;
    }

    /**
     * All security events, oldest first.
     *
     * @return snapshot
     */
    public List<SecurityEvent> snapshot() {
        return state.locked(() -> List.copyOf(store.events));
    }

    private SecurityEvent own(String operatorId, String id) {
        for (SecurityEvent e : store.events) {
            if (e.id().equals(id) && e.operatorId().equals(operatorId)) {
                return e;
            }
        }
        throw ApiError.notFound("Security event");
    }

    private ObjectNode json(SecurityEvent e) {
        ObjectNode o = Json.object();
        o.put("id", e.id());
        o.put("operator_id", e.operatorId());
        o.put("agent_id", e.agentId());
        o.put("passport_jti", e.passportJti());
        o.put("signal_type", e.signalType());
        o.put("severity", e.severity());
        o.put("message", e.message());
        try {
            o.set("metadata", Json.MAPPER.readTree(e.metadataJson()));
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("stored metadata unreadable", ex);
        }
        o.put("resolved", e.resolved());
        Instant ra = store.resolvedAt.get(e.id());
        o.put("resolved_at", ra == null ? null : Wire.iso(ra));
        o.put("created_at", Wire.iso(e.createdAt()));
        o.put("action", e.action());
        o.put("resolution_note", store.notes.get(e.id()));
        return o;
    }

    ObjectNode list(String operatorId, Map<String, String> q) {
        long page = Wire.queryLong(q, "page", 1, 1, Integer.MAX_VALUE);
        long limit = Wire.queryLong(q, "limit", 50, 1, 500); // live stack_list_security_events: 1-500
        String agentId = q.get("agent_id");
        boolean includeResolved = "true".equals(q.get("include_resolved"));
        List<SecurityEvent> matching = new ArrayList<>();
        for (int i = store.events.size() - 1; i >= 0; i--) {
            SecurityEvent e = store.events.get(i);
            if (e.operatorId().equals(operatorId)
                    && (agentId == null || agentId.equals(e.agentId()))
                    && (includeResolved || !e.resolved())) {
                matching.add(e);
            }
        }
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("events");
        long from = (page - 1) * limit;
        for (long i = from; i < Math.min(matching.size(), from + limit); i++) {
            arr.add(json(matching.get((int) i)));
        }
        root.put(
                "unresolved_count",
                store.events.stream()
                        .filter(e -> e.operatorId().equals(operatorId) && !e.resolved())
                        .count());
        root.put("page", page);
        root.put("limit", limit);
        return root;
    }

    ObjectNode get(String operatorId, String id) {
        return json(own(operatorId, id));
    }

    ObjectNode resolve(Call call) {
        SecurityEvent e = own(call.operatorId(), call.param(0));
        Body b = call.body(true);
        String note = b.optString("note", 1000);
        if (!e.resolved()) {
            SecurityEvent r = new SecurityEvent(
                    e.id(),
                    e.operatorId(),
                    e.agentId(),
                    e.passportJti(),
                    e.signalType(),
                    e.severity(),
                    e.message(),
                    e.metadataJson(),
                    e.action(),
                    true,
                    e.createdAt());
            store.events.set(store.events.indexOf(e), r);
            store.resolvedAt.put(e.id(), state.now());
            if (note != null) {
                store.notes.put(e.id(), note);
            }
            e = r;
        }
        return json(e);
    }
}

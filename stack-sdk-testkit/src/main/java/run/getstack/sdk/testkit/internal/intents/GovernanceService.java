package run.getstack.sdk.testkit.internal.intents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Governance approvals (wire protocol §14.4–§14.5): with the switch on, an operator
 * write that loosens anything answers 403 {@code GOVERNANCE_APPROVAL_REQUIRED} with a new pending {@code gvr_…}
 * approval; once a person approved it, the same payload resent with {@code governance_approval_id} passes, once,
 * within 24 hours. Runs under the state lock.
 */
public final class GovernanceService {
    /** How long an approval lives. */
    static final Duration LIFETIME = Duration.ofHours(24);

    /** How many approvals an operator's list holds (the oldest are dropped). */
    static final int KEPT = 100;

    /** The body field that carries an approval on the resend. */
    public static final String FIELD = "governance_approval_id";

    private final FakeState state;
    private final IntentStore store;
    private final Services services;

    GovernanceService(FakeState state, IntentStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    /**
     * Turns governance approvals on or off.
     *
     * @param required the switch
     */
    public void requireApprovals(boolean required) {
        state.locked(() -> {
            store.governanceRequired = required;
        });
    }

    /**
     * Gates a loosening write: passes when the switch is off, or when the body carries an approved approval for this
     * exact payload (which it consumes); otherwise creates a pending approval and refuses with it.
     *
     * @param call the request
     * @param operatorId operator
     * @param action what is asked, e.g. {@code agent.unblock}
     * @param summary a one-line summary for the person
     */
    public void gate(Call call, String operatorId, String action, String summary) {
        if (!store.governanceRequired) {
            return;
        }
        ObjectNode body = parse(call.request().body());
        JsonNode given = body.remove(FIELD);
        String hash = Hashes.sha256Hex(
                call.request().method() + " " + call.request().path() + "\n" + Json.write(canonical(body)));
        if (given != null && !given.isNull()) {
            if (!given.isTextual()) {
                throw ApiError.invalid(FIELD, "must be a string");
            }
            consume(operatorId, given.asText(), hash, call.requestId());
            return;
        }
        Instant now = state.now();
        GovernanceApproval g =
                new GovernanceApproval(Wire.id("gvr_"), operatorId, action, summary, hash, now, now.plus(LIFETIME));
        store.governance.put(g.id, g);
        trim(operatorId);
        services.get(AuditService.class)
                .append(operatorId, null, null, "governance.request", "success", call.requestId(), null);
        ObjectNode d = Json.object();
        d.put("approval_id", g.id);
        d.put("approval_url", url(g));
        d.put("action", action);
        d.put("summary", summary);
        d.put("expires_at", Wire.iso(g.expiresAt));
        throw new ApiError(
                403,
                "GOVERNANCE_APPROVAL_REQUIRED",
                "A person must approve this change; resend the same request with governance_approval_id once approved",
                d);
    }

    private void consume(String operatorId, String id, String hash, String trace) {
        GovernanceApproval g = store.governance.get(id);
        if (g == null || !g.operatorId.equals(operatorId)) {
            throw refusal("governance_approval_unknown", "No governance approval " + id);
        }
        expire(g);
        switch (g.status) {
            case "approved" -> {
                // checked below
            }
            case "consumed" -> throw refusal("governance_approval_used", "Governance approval " + id + " was used");
            default ->
                throw refusal("governance_approval_" + g.status, "Governance approval " + id + " is " + g.status);
        }
        if (!Hashes.constantTimeEquals(
                g.payloadHash.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
            throw refusal(
                    "governance_approval_mismatch",
                    "Governance approval " + id + " was given for another request; resend the exact approved payload");
        }
        g.status = "consumed";
        services.get(AuditService.class).append(operatorId, null, null, "governance.consume", "success", trace, null);
    }

    private static ApiError refusal(String reason, String message) {
        return ApiError.reason(403, "FORBIDDEN", message, reason);
    }

    /**
     * Approves or rejects a pending approval (the person, through the owner's test hooks).
     *
     * @param operatorId operator
     * @param id approval
     * @param approve the decision
     */
    public void decide(String operatorId, String id, boolean approve) {
        GovernanceApproval g = own(operatorId, id);
        if (!g.status.equals("pending")) {
            throw ApiError.reason(
                    409, "CONFLICT", "Governance approval is " + g.status + ", not pending", "not_pending");
        }
        g.status = approve ? "approved" : "rejected";
        g.decidedAt = state.now();
    }

    /**
     * The status of an approval now.
     *
     * @param operatorId operator
     * @param id approval
     * @return the status
     */
    public String status(String operatorId, String id) {
        return own(operatorId, id).status;
    }

    private GovernanceApproval own(String operatorId, String id) {
        GovernanceApproval g = store.governance.get(id);
        if (g == null || !g.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Governance approval");
        }
        expire(g);
        return g;
    }

    ObjectNode get(String operatorId, String id) {
        GovernanceApproval g = own(operatorId, id);
        ObjectNode o = Json.object();
        o.set("approval", json(g));
        o.put("approval_url", url(g));
        return o;
    }

    ObjectNode list(String operatorId, Map<String, String> query) {
        long limit = Wire.queryLong(query, "limit", 20, 1, KEPT);
        String status = query.get("status");
        if (status != null
                && !List.of("pending", "approved", "rejected", "consumed", "expired")
                        .contains(status)) {
            throw ApiError.invalid("status", "must be pending, approved, rejected, consumed or expired");
        }
        List<GovernanceApproval> mine = new ArrayList<>();
        for (GovernanceApproval g : store.governance.values()) {
            if (g.operatorId.equals(operatorId)) {
                expire(g);
                if (status == null || status.equals(g.status)) {
                    mine.add(g);
                }
            }
        }
        ObjectNode o = Json.object();
        ArrayNode arr = o.putArray("approvals");
        for (int i = mine.size() - 1; i >= 0 && arr.size() < limit; i--) { // newest first
            arr.add(json(mine.get(i)));
        }
        return o;
    }

    private void trim(String operatorId) {
        long count = store.governance.values().stream()
                .filter(g -> g.operatorId.equals(operatorId))
                .count();
        Iterator<GovernanceApproval> it = store.governance.values().iterator();
        while (count > KEPT && it.hasNext()) {
            if (it.next().operatorId.equals(operatorId)) {
                it.remove();
                count--;
            }
        }
    }

    private void expire(GovernanceApproval g) {
        if ((g.status.equals("pending") || g.status.equals("approved"))
                && !state.now().isBefore(g.expiresAt)) {
            g.status = "expired";
        }
    }

    private static String url(GovernanceApproval g) {
        return "https://console.stack.invalid/approvals/" + g.id;
    }

    private static ObjectNode json(GovernanceApproval g) {
        ObjectNode o = Json.object();
        o.put("id", g.id);
        o.put("action", g.action);
        o.put("summary", g.summary);
        o.put("status", g.status);
        o.put("created_at", Wire.iso(g.createdAt));
        o.put("expires_at", Wire.iso(g.expiresAt));
        o.put("decided_at", g.decidedAt == null ? null : Wire.iso(g.decidedAt));
        return o;
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return Json.object();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n instanceof ObjectNode o ? o : Json.object();
        } catch (java.io.IOException e) {
            throw ApiError.invalid("", "body must be a JSON object");
        }
    }

    /** The value with every object's members in key order, so the hash does not depend on member order. */
    private static JsonNode canonical(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            n.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode o = Json.object();
            sorted.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            n.forEach(x -> a.add(canonical(x)));
            return a;
        }
        return n;
    }
}

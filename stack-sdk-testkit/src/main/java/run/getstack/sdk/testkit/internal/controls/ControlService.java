package run.getstack.sdk.testkit.internal.controls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.missions.Mission;
import run.getstack.sdk.testkit.internal.missions.MissionService;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.passports.ServiceScope;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Control policies and review holds (wire protocol §15). The proxy guard ({@link
 * #check(Call)}) runs under the state lock before {@code POST /v1/proxy}'s handler; so does every other method.
 */
public final class ControlService {
    /** How long a held action waits for the owner, and how long an approved one waits for its resend. */
    public static final Duration RESEND_WINDOW = Duration.ofHours(1);

    /** Where the fake says a person approves a held action (the fake serves no such page). */
    public static final String APPROVAL_URL_BASE = "https://getstack.run/approvals/";

    /** The header a resend names its hold in. */
    public static final String CONTROL_REF_HEADER = "x-control-ref";

    private final FakeState state;
    private final Services services;
    private final ControlStore store;

    ControlService(FakeState state, Services services, ControlStore store) {
        this.state = state;
        this.services = services;
        this.store = store;
    }

    // ------------------------------------------------------------------ policies

    /**
     * Creates or revises a policy (seeding; the REST write needs governance approval on hosted STACK).
     *
     * @param operatorId owner
     * @param agentId the agent, or null for the account default
     * @param connections rules per connection id or provider slug, or null for no connections section
     * @param reviewAbove hold calls whose amount is above this, or null
     * @param amountPath dotted path of the amount in the proxied body
     * @param recipientsPerMission recipients come from the mission
     * @param recipients allowed recipients, or null
     * @param recipientFields dotted paths of recipient fields in the proxied body
     * @return the policy id
     */
    public String setPolicy(
            String operatorId,
            @Nullable String agentId,
            @Nullable Map<String, String> connections,
            @Nullable Long reviewAbove,
            String amountPath,
            boolean recipientsPerMission,
            @Nullable List<String> recipients,
            List<String> recipientFields) {
        if (connections != null) {
            connections.values().forEach(v -> {
                if (!List.of("allow", "review", "deny").contains(v)) {
                    throw new IllegalArgumentException("connection rule must be allow, review or deny: " + v);
                }
            });
        }
        if ((recipientsPerMission || recipients != null) && recipientFields.isEmpty()) {
            // STACK refuses a rule that allows sends without naming recipients (UNBOUNDED_SEND_RULE)
            throw new IllegalArgumentException("a recipients section needs at least one recipient field");
        }
        String key = ControlStore.key(operatorId, agentId);
        ControlPolicy old = store.policies.get(key);
        ControlPolicy p = new ControlPolicy(
                old == null ? Wire.newId("cpl_", 20) : old.id(),
                operatorId,
                agentId,
                old == null ? 1 : old.revision() + 1,
                connections == null ? null : Map.copyOf(connections),
                reviewAbove,
                amountPath,
                recipientsPerMission,
                recipients == null ? null : List.copyOf(recipients),
                List.copyOf(recipientFields),
                state.now());
        store.policies.put(key, p);
        return p.id();
    }

    /**
     * Deletes an agent's policy or the default (seeding).
     *
     * @param operatorId owner
     * @param agentId agent or null
     * @return whether there was one
     */
    public boolean deletePolicy(String operatorId, @Nullable String agentId) {
        return store.policies.remove(ControlStore.key(operatorId, agentId)) != null;
    }

    private boolean hasPolicy(String operatorId) {
        String prefix = operatorId + "\n";
        return store.policies.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    private @Nullable ControlPolicy policyFor(String operatorId, String agentId) {
        ControlPolicy own = store.policies.get(ControlStore.key(operatorId, agentId));
        return own != null ? own : store.policies.get(ControlStore.key(operatorId, null));
    }

    /**
     * {@code GET /v1/controls/policies} ({@code stack_list_control_policies}).
     *
     * @param operatorId owner
     * @return {@code {policies:[…], controls_enabled:true}}
     */
    public ObjectNode listPolicies(String operatorId) {
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("policies");
        store.policies.values().stream()
                .filter(p -> p.operatorId().equals(operatorId))
                .forEach(p -> items.add(policyJson(p)));
        o.put("controls_enabled", true);
        return o;
    }

    /**
     * {@code GET /v1/controls/policy?agent_id=} ({@code stack_get_control_policy}).
     *
     * @param operatorId owner
     * @param agentId the agent, or null for the account default
     * @return with an agent: {@code {policy, in_force, controls_enabled}}; without: the default policy
     * @throws ApiError 404 without an agent when there is no default
     */
    public ObjectNode getPolicy(String operatorId, @Nullable String agentId) {
        ControlPolicy dflt = store.policies.get(ControlStore.key(operatorId, null));
        if (agentId == null) {
            if (dflt == null) {
                throw ApiError.notFound("Default control policy");
            }
            return policyJson(dflt);
        }
        ControlPolicy own = store.policies.get(ControlStore.key(operatorId, agentId));
        ObjectNode o = Json.object();
        if (own == null) {
            o.putNull("policy");
        } else {
            o.set("policy", policyJson(own));
        }
        ControlPolicy inForce = own != null ? own : dflt;
        if (inForce == null) {
            o.putNull("in_force");
        } else {
            ObjectNode f = o.putObject("in_force");
            f.put("id", inForce.id());
            f.put("revision", inForce.revision());
            f.put("source", own != null ? "agent" : "default");
        }
        o.put("controls_enabled", true);
        return o;
    }

    private static ObjectNode policyJson(ControlPolicy p) {
        ObjectNode o = Json.object();
        o.put("id", p.id());
        if (p.agentId() == null) {
            o.putNull("agent_id");
        } else {
            o.put("agent_id", p.agentId());
        }
        o.put("revision", p.revision());
        ObjectNode d = o.putObject("definition");
        Map<String, String> c = p.connections();
        if (c != null) {
            ObjectNode cs = d.putObject("connections");
            new java.util.TreeMap<>(c).forEach(cs::put);
        }
        if (p.recipientsLimited()) {
            ObjectNode r = d.putObject("recipients");
            List<String> allowed = p.recipients();
            if (p.recipientsPerMission() || allowed == null) {
                r.put("allow", "per_mission");
            } else {
                r.set("allow", Json.strings(allowed));
            }
            r.set("fields", Json.strings(p.recipientFields()));
        }
        Long above = p.reviewAbove();
        if (above != null) {
            ObjectNode rv = d.putObject("review");
            rv.put("amount_above", above);
            rv.put("amount_path", p.amountPath());
        }
        o.put("updated_at", Wire.iso(p.updatedAt()));
        return o;
    }

    // ------------------------------------------------------------------ the proxy guard

    /**
     * The guard in front of {@code POST /v1/proxy}: a resend naming a hold in {@code X-Control-Ref} must be the held
     * request, byte for byte, approved, within the hour, and only once; any other call is checked against the
     * policy in force for its passport's agent.
     *
     * @param call the call
     */
    public void check(Call call) {
        String ref = call.header(CONTROL_REF_HEADER);
        if (ref == null && !hasPolicy(call.operatorId())) {
            return; // nothing to check: skip the passport's signature check under the lock
        }
        String token = call.header("x-passport-token");
        if (token == null) {
            return; // the handler refuses: a proxy call needs a passport
        }
        Passport p;
        try {
            p = services.get(PassportChecks.class).present(call.operatorId(), token, false, call.requestId());
        } catch (ApiError e) {
            return; // the handler refuses with the passport's own error (and its signals)
        }
        if (ref != null) {
            resend(call, p, ref);
            return;
        }
        ControlPolicy policy = policyFor(call.operatorId(), p.agentId);
        if (policy == null) {
            return;
        }
        evaluate(call, p, policy);
    }

    /** Checks a call against one policy: returns if it passes, throws the refusal or the hold. */
    private void evaluate(Call call, Passport p, ControlPolicy policy) {
        JsonNode req;
        try {
            req = Json.MAPPER.readTree(call.request().body());
        } catch (IOException e) {
            return; // the handler refuses the body
        }
        if (req == null || !req.isObject() || !req.path("service").isTextual()) {
            return;
        }
        String service = req.path("service").asText();
        JsonNode payload = req.path("body");
        Map<String, String> rules = policy.connections();
        if (rules != null) {
            String connectionId = connectionOf(p, service);
            if (connectionId == null) {
                return; // not granted, or ambiguous: the handler refuses
            }
            String rule = rules.containsKey(connectionId) ? rules.get(connectionId) : rules.get(service);
            if (rule == null) {
                throw denied(
                        call,
                        p,
                        policy,
                        "connection_not_listed",
                        "Connection " + connectionId + " is not listed in the control policy");
            }
            if (rule.equals("deny")) {
                throw denied(call, p, policy, "connection_denied", "The control policy denies " + connectionId);
            }
            if (rule.equals("review")) {
                throw hold(call, p, policy, req, "every call on " + connectionId + " is reviewed");
            }
        }
        if (policy.recipientsLimited()) {
            checkRecipients(call, p, policy, payload);
        }
        Long above = policy.reviewAbove();
        if (above != null) {
            JsonNode amount = at(payload, policy.amountPath());
            if (!amount.isMissingNode() && !amount.isNull()) {
                BigDecimal value = number(amount);
                if (value == null) {
                    // fail closed: an amount the policy cannot read is held for a person
                    throw hold(call, p, policy, req, policy.amountPath() + " is not a number");
                }
                if (value.compareTo(BigDecimal.valueOf(above)) > 0) {
                    throw hold(call, p, policy, req, policy.amountPath() + " " + value.toPlainString() + " > " + above);
                }
            }
        }
    }

    private void checkRecipients(Call call, Passport p, ControlPolicy policy, JsonNode payload) {
        List<JsonNode> values = new ArrayList<>();
        for (String field : policy.recipientFields()) {
            JsonNode v = at(payload, field);
            if (v.isArray()) {
                v.forEach(values::add);
            } else if (!v.isMissingNode() && !v.isNull()) {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            return; // not a send
        }
        List<String> allowed;
        if (policy.recipientsPerMission()) {
            Mission m = p.missionId == null
                    ? null
                    : services.get(MissionService.class).find(p.missionId);
            allowed = m == null ? List.of() : m.recipients;
            if (allowed.isEmpty()) {
                throw denied(call, p, policy, "recipients_not_pinned", "The mission names no recipients");
            }
        } else {
            allowed = Objects.requireNonNull(policy.recipients());
        }
        for (JsonNode v : values) {
            if (!v.isTextual() || !allowed.contains(v.asText())) {
                throw denied(call, p, policy, "recipient_not_allowed", "A recipient is not allowed");
            }
        }
    }

    private static @Nullable String connectionOf(Passport p, String provider) {
        List<String> ids = p.services.stream()
                .filter(s -> s.provider().equals(provider))
                .map(ServiceScope::connectionId)
                .distinct()
                .toList();
        return ids.size() == 1 ? ids.get(0) : null;
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String seg : dotted.split("\\.", -1)) {
            n = n.path(seg);
        }
        return n;
    }

    private static @Nullable BigDecimal number(JsonNode n) {
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isTextual() && n.asText().length() <= 40) {
            try {
                return new BigDecimal(n.asText());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private ApiError hold(Call call, Passport p, ControlPolicy policy, JsonNode req, String why) {
        Instant now = state.now();
        byte[] body = call.request().body();
        ControlReview review = null;
        for (ControlReview r : store.reviews.values()) {
            r.expireIfDue(now);
            if (r.status.equals("pending")
                    && r.operatorId.equals(call.operatorId())
                    && r.agentId.equals(p.agentId)
                    && r.method.equals(call.request().method())
                    && r.path.equals(call.request().path())
                    && Arrays.equals(r.body, body)) {
                review = r; // the same held request sent again (a retry): the same hold
            }
        }
        if (review == null) {
            String host;
            try {
                host = URI.create(req.path("url").asText("")).getHost();
            } catch (IllegalArgumentException e) {
                host = null;
            }
            String summary = req.path("method").asText("?") + " via "
                    + req.path("service").asText("?") + (host == null ? "" : " to " + host) + ": " + why;
            review = new ControlReview(
                    Wire.newId("ctr_", 24),
                    call.operatorId(),
                    p.agentId,
                    policy,
                    Wire.newId("gvr_", 24),
                    summary,
                    call.request().method(),
                    call.request().path(),
                    body,
                    now,
                    now.plus(RESEND_WINDOW));
            store.reviews.put(review.ref, review);
            ObjectNode d = Json.object();
            d.put("control_ref", review.ref);
            d.put("policy_id", policy.id());
            audit().append(
                            call.operatorId(),
                            p.agentId,
                            p.jti,
                            "control.hold",
                            "blocked",
                            call.requestId(),
                            d,
                            "CONTROL_DENIED",
                            null,
                            null,
                            null);
        }
        return reviewRequired(review);
    }

    private static ApiError reviewRequired(ControlReview r) {
        ObjectNode d = Json.object();
        d.put("reason", "review_required");
        d.put("control_ref", r.ref);
        d.put("approval_id", r.approvalId);
        d.put("approval_url", APPROVAL_URL_BASE + r.approvalId);
        d.put("expires_at", Wire.iso(r.expiresAt));
        d.put("policy_id", r.policyId);
        d.put("policy_revision", r.policyRevision);
        d.put("action_type", "proxy");
        return new ApiError(
                403,
                "CONTROL_DENIED",
                "Held for the owner's review; resend the same request with X-Control-Ref once approved",
                d);
    }

    private ApiError denied(Call call, Passport p, ControlPolicy policy, String reason, String message) {
        ObjectNode d = Json.object();
        d.put("reason", reason);
        d.put("policy_id", policy.id());
        d.put("policy_revision", policy.revision());
        audit().append(
                        call.operatorId(),
                        p.agentId,
                        p.jti,
                        "control.deny",
                        "blocked",
                        call.requestId(),
                        d,
                        "CONTROL_DENIED",
                        null,
                        null,
                        null);
        return new ApiError(403, "CONTROL_DENIED", message, d);
    }

    private static ApiError refusedResend(String reason, String message, @Nullable ControlReview r) {
        ObjectNode d = Json.object();
        d.put("reason", reason);
        if (r != null) {
            d.put("control_ref", r.ref);
        }
        return new ApiError(403, "CONTROL_DENIED", message, d);
    }

    private void resend(Call call, Passport p, String ref) {
        ControlReview r = store.reviews.get(ref);
        if (r == null || !r.operatorId.equals(call.operatorId()) || !r.agentId.equals(p.agentId)) {
            throw refusedResend("control_ref_unknown", "No held action of this agent has that X-Control-Ref", null);
        }
        r.expireIfDue(state.now());
        switch (r.status) {
            case "pending" -> throw reviewRequired(r); // still waiting for the owner: the hold stands
            case "rejected" -> throw refusedResend("review_rejected", "The owner rejected the held action", r);
            case "expired" -> throw refusedResend("review_expired", "The held action's resend window has passed", r);
            case "consumed" -> throw refusedResend("review_consumed", "The held action was already resent", r);
            case "superseded" -> {
                ApiError e = refusedResend(
                        "review_superseded",
                        "A policy put in force after the approval held the action again under another X-Control-Ref",
                        r);
                Objects.requireNonNull(e.details()).put("superseded_by", r.supersededBy);
                throw e;
            }
            default -> {
                // approved
            }
        }
        if (!r.method.equals(call.request().method())
                || !r.path.equals(call.request().path())
                || !Arrays.equals(r.body, call.request().body())) {
            // the approval stays: only the exact held request may use it
            throw refusedResend("control_ref_mismatch", "The resend is not byte for byte the request that was held", r);
        }
        ControlPolicy inForce = policyFor(call.operatorId(), p.agentId);
        if (inForce != null && !(inForce.id().equals(r.policyId) && inForce.revision() == r.policyRevision)) {
            // the approval covers the policy revision that held the call: a policy put in force since then checks
            // the resend as a new call, and a hold by it supersedes this one (never treated as approved)
            try {
                evaluate(call, p, inForce);
            } catch (ApiError e) {
                ObjectNode d = e.details();
                if (d != null && "review_required".equals(d.path("reason").asText())) {
                    r.status = "superseded";
                    r.supersededBy = d.path("control_ref").asText();
                }
                throw e;
            }
        }
        r.status = "consumed";
        r.consumedAt = state.now();
    }

    // ------------------------------------------------------------------ the owner's decisions

    /**
     * The owner approves a held action on the approval page; the agent then has an hour to resend it.
     *
     * @param operatorId owner
     * @param ref the control ref
     * @return the review's new expiry
     * @throws ApiError 404 if unknown, 409 if not pending
     */
    public Instant approve(String operatorId, String ref) {
        ControlReview r = decidable(operatorId, ref);
        r.status = "approved";
        r.decidedAt = state.now();
        r.expiresAt = state.now().plus(RESEND_WINDOW);
        return r.expiresAt;
    }

    /**
     * The owner rejects a held action.
     *
     * @param operatorId owner
     * @param ref the control ref
     */
    public void reject(String operatorId, String ref) {
        ControlReview r = decidable(operatorId, ref);
        r.status = "rejected";
        r.decidedAt = state.now();
    }

    private ControlReview decidable(String operatorId, String ref) {
        ControlReview r = store.reviews.get(ref);
        if (r == null || !r.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Control review");
        }
        r.expireIfDue(state.now());
        if (!r.status.equals("pending")) {
            throw ApiError.reason(409, "CONFLICT", "The held action is " + r.status + ", not pending", r.status);
        }
        return r;
    }

    /**
     * A review's status now.
     *
     * @param operatorId owner
     * @param ref the control ref
     * @return {@code pending}, {@code approved}, {@code consumed}, {@code rejected}, {@code expired} or {@code
     *     superseded}
     */
    public String status(String operatorId, String ref) {
        ControlReview r = store.reviews.get(ref);
        if (r == null || !r.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Control review");
        }
        r.expireIfDue(state.now());
        return r.status;
    }

    /**
     * {@code GET /v1/controls/reviews} ({@code stack_list_control_reviews}).
     *
     * @param operatorId owner
     * @param all every status, or only pending ones
     * @param limit 1–200
     * @return {@code {reviews:[…]}}, newest first
     */
    public ObjectNode list(String operatorId, boolean all, int limit) {
        Instant now = state.now();
        List<ControlReview> mine = new ArrayList<>();
        for (ControlReview r : store.reviews.values()) {
            r.expireIfDue(now);
            if (r.operatorId.equals(operatorId) && (all || r.status.equals("pending"))) {
                mine.add(r);
            }
        }
        ObjectNode o = Json.object();
        ArrayNode items = o.putArray("reviews");
        for (int i = mine.size() - 1; i >= 0 && items.size() < limit; i--) {
            items.add(json(mine.get(i)));
        }
        return o;
    }

    private static ObjectNode json(ControlReview r) {
        ObjectNode o = Json.object();
        o.put("id", r.ref);
        o.put("account_id", r.operatorId);
        o.put("agent_id", r.agentId);
        o.put("policy_id", r.policyId);
        o.put("policy_revision", r.policyRevision);
        o.put("action_type", "proxy");
        o.put("summary", r.summary);
        o.put("status", r.status);
        o.put("approval_id", r.approvalId);
        o.put("approval_url", APPROVAL_URL_BASE + r.approvalId);
        o.put("expires_at", Wire.iso(r.expiresAt));
        o.put("created_at", Wire.iso(r.createdAt));
        return o;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }
}

package run.getstack.sdk.testkit.internal.intents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportRevocation;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.passports.ServiceScope;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Intent approvals (wire protocol §14.1–§14.3): submit a claim under a passport (with a
 * simulation), read, decide (approve; reject revokes the passport and, with {@code block_future}, blocks the agent),
 * and the check that consumes an approval once (proxy calls and skill invocations). Lifetimes run on the fake's clock. Runs under the state lock.
 */
public final class IntentService {
    /** Default lifetime of a pending approval ({@code expires_in_seconds}). */
    static final long DEFAULT_TTL_SECONDS = 900;

    /** Longest lifetime ({@code expires_in_seconds}); longer is refused. */
    static final long MAX_TTL_SECONDS = 86_400;

    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final FakeState state;
    private final IntentStore store;
    private final Services services;

    IntentService(FakeState state, IntentStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    /**
     * Turns on (or off) the rule that an enforced passport needs an approved intent on proxy calls and
     * skill invocations.
     *
     * @param required the switch
     */
    public void requireApprovals(boolean required) {
        state.locked(() -> {
            store.intentsRequired = required;
        });
    }

    ObjectNode submit(String operatorId, Passport p, Body b, String trace) {
        Body intent = b.optObject("intent");
        if (intent == null) {
            throw ApiError.invalid("intent", "is required");
        }
        String type = intent.reqString("type", 32);
        if (!type.equals("intent_claim")) {
            throw ApiError.invalid("intent.type", "must be intent_claim");
        }
        word(intent, "intent_type");
        String agentId = intent.reqString("agent_id", 128);
        if (!agentId.equals(p.agentId)) {
            throw ApiError.invalid("intent.agent_id", "must be the passport's agent");
        }
        intent.reqString("named_intent", 128);
        intent.reqString("target", 512);
        intent.reqString("action", 128);
        intent.reqString("reason", 1000);
        String submittedAt = intent.reqString("submitted_at", 64);
        try {
            Instant.parse(submittedAt);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.invalid("intent.submitted_at", "must be an RFC 3339 date-time");
        }
        JsonNode params = intent.raw("parameters");
        if (params != null && !params.isObject()) {
            throw ApiError.invalid("intent.parameters", "must be an object");
        }
        Body cost = intent.optObject("estimated_cost");
        if (cost != null) {
            cost.optLong("amount_cents", 0, Long.MAX_VALUE);
            cost.optString("currency", 8);
        }
        intent.optString("accountability", 32);
        intent.optStrings("requires", 32, 128);
        intent.optString("user_subject", 256);
        String missionRef = intent.optString("mission_ref", 128);
        if (missionRef != null && !missionRef.equals(p.missionId)) {
            throw ApiError.invalid("intent.mission_ref", "must be the passport's mission");
        }
        Boolean skip = b.optBool("skip_simulation");
        Long ttl = b.optLong("expires_in_seconds", 1, MAX_TTL_SECONDS);
        Instant now = state.now();
        IntentApproval a = new IntentApproval(
                Wire.id("ia_"),
                Wire.id("ic_"),
                operatorId,
                p.agentId,
                p.jti,
                p.missionId,
                intent.node().deepCopy(),
                Boolean.TRUE.equals(skip) ? null : simulate(p, intent.node()),
                now,
                now.plus(Duration.ofSeconds(ttl == null ? DEFAULT_TTL_SECONDS : ttl)));
        store.intents.put(a.id, a);
        audit().append(operatorId, p.agentId, p.jti, "intent.submit", "success", trace, idDetail(a));
        return json(a, false);
    }

    /** The fake's simulation [Extension]: would the call the intent describes pass the passport's checks today? */
    private ObjectNode simulate(Passport p, ObjectNode intent) {
        ObjectNode s = Json.object();
        ArrayNode findings = s.putArray("findings");
        if (intent.path("intent_type").asText().equals("http_call")) {
            String target = intent.path("target").asText();
            boolean inScope = p.services.stream().map(ServiceScope::provider).anyMatch(target::equals);
            if (!inScope) {
                findings.add("target_not_in_passport");
            }
        }
        s.put("verdict", findings.isEmpty() ? "allow" : "deny");
        return s;
    }

    private static void word(Body b, String field) {
        String v = b.reqString(field, 64);
        if (!WORD.matcher(v).matches()) {
            throw ApiError.invalid("intent." + field, "must match " + WORD.pattern());
        }
    }

    /**
     * An approval of the operator, its expiry applied.
     *
     * @param operatorId operator
     * @param id approval id
     * @return the approval
     */
    IntentApproval own(String operatorId, String id) {
        IntentApproval a = store.intents.get(id);
        if (a == null || !a.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Intent approval");
        }
        expire(a);
        return a;
    }

    ObjectNode get(String operatorId, @Nullable String callerAgent, String id, boolean review) {
        IntentApproval a = own(operatorId, id);
        if (callerAgent != null && !callerAgent.equals(a.agentId)) {
            throw ApiError.notFound("Intent approval");
        }
        return json(a, review && callerAgent == null);
    }

    ObjectNode decideEndpoint(String operatorId, String id, Body b, String trace) {
        String decision = b.optEnum("decision", List.of("approve", "reject"));
        if (decision == null) {
            throw ApiError.invalid("decision", "is required: approve or reject");
        }
        Boolean block = b.optBool("block_future");
        decide(operatorId, id, decision.equals("approve"), Boolean.TRUE.equals(block), trace);
        return json(own(operatorId, id), false);
    }

    /**
     * Approves or rejects a pending approval. A rejection revokes the passport it was submitted under and, with
     * {@code blockFuture}, blocks the agent.
     *
     * @param operatorId operator
     * @param id approval
     * @param approve the decision
     * @param blockFuture with a rejection: block the agent
     * @param trace request id or a label
     */
    public void decide(String operatorId, String id, boolean approve, boolean blockFuture, String trace) {
        IntentApproval a = own(operatorId, id);
        if (!a.status.equals("pending")) {
            throw ApiError.reason(409, "CONFLICT", "Intent approval is " + a.status + ", not pending", "not_pending");
        }
        a.decidedAt = state.now();
        if (approve) {
            a.status = "approved";
            audit().append(operatorId, a.agentId, a.passportJti, "intent.approve", "success", trace, idDetail(a));
            return;
        }
        a.status = "rejected";
        a.blockFuture = blockFuture;
        audit().append(operatorId, a.agentId, a.passportJti, "intent.reject", "success", trace, idDetail(a));
        Passport p = services.get(PassportService.class).find(a.passportJti);
        if (p != null && !p.revoked) {
            services.get(PassportRevocation.class).revokeAndPublish(p, "intent_rejected: " + a.id, trace);
        }
        if (blockFuture) {
            Agent agent = services.get(AgentService.class).find(a.agentId);
            if (agent != null) {
                agent.passportBlocked = true;
            }
        }
    }

    /**
     * The check of an approved intent (wire protocol §14.3), shared by the proxy and skill invocations: with approvals
     * switched on, an enforced passport's call needs the id of an approved intent of its agent whose {@code
     * intent_type} and target are the call's (and, where the call names one, whose action is the call's); the
     * approval is consumed by the call. Refusals are {@code 403 FORBIDDEN} with {@code details.reason} {@code
     * intent_approval_required}, {@code _unknown}, {@code _pending}/{@code _rejected}/{@code _expired}/{@code
     * _consumed} or {@code _mismatch}. Under the state lock.
     *
     * @param p the passport
     * @param approvalId the body's {@code approval_id}, or null
     * @param intentType the call's kind: {@code http_call} for the proxy, {@code skill_invocation} for a skill
     * @param target what the call acts on: the proxy call's service, or the skill's id
     * @param action the proxy call's method (compared ignoring case), or null when any action of the intent fits
     * @param trace request id
     */
    public void consume(
            Passport p,
            @Nullable String approvalId,
            String intentType,
            String target,
            @Nullable String action,
            String trace) {
        if (!store.intentsRequired || !p.mode.equals("enforced")) {
            return;
        }
        if (approvalId == null) {
            throw refusal(
                    "intent_approval_required",
                    "An enforced passport needs an approved intent for this call: submit one (stack_submit_intent)"
                            + " and send its approval_id",
                    null);
        }
        IntentApproval a = store.intents.get(approvalId);
        if (a == null || !a.operatorId.equals(p.operatorId) || !a.agentId.equals(p.agentId)) {
            throw refusal(
                    "intent_approval_unknown", "No intent approval " + approvalId + " for this agent", approvalId);
        }
        expire(a);
        if (!a.status.equals("approved")) {
            throw refusal(
                    "intent_approval_" + a.status,
                    "Intent approval " + a.id + " is " + a.status + ", not approved",
                    approvalId);
        }
        if (!a.intentType.equals(intentType)
                || !a.target.equals(target)
                || (action != null && !a.action.equalsIgnoreCase(action))) {
            throw refusal(
                    "intent_approval_mismatch",
                    "Intent approval " + a.id + " approves " + a.intentType + " " + a.action + " on " + a.target
                            + ", not this call",
                    approvalId);
        }
        a.status = "consumed";
        a.consumedAt = state.now();
        audit().append(p.operatorId, p.agentId, p.jti, "intent.consume", "success", trace, idDetail(a));
    }

    private static ApiError refusal(String reason, String message, @Nullable String approvalId) {
        ObjectNode d = Json.object();
        d.put("reason", reason);
        if (approvalId != null) {
            d.put("approval_id", approvalId);
        }
        return new ApiError(403, "FORBIDDEN", message, d);
    }

    /**
     * The status of an approval now (for the owner's test hooks).
     *
     * @param operatorId operator
     * @param id approval
     * @return the status
     */
    public String status(String operatorId, String id) {
        return own(operatorId, id).status;
    }

    private void expire(IntentApproval a) {
        if ((a.status.equals("pending") || a.status.equals("approved"))
                && !state.now().isBefore(a.expiresAt)) {
            a.status = "expired";
        }
    }

    private static ObjectNode idDetail(IntentApproval a) {
        ObjectNode d = Json.object();
        d.put("approval_id", a.id);
        d.put("intent_type", a.intentType);
        return d;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    /**
     * Whether an approval's answers name the passport it was submitted under ({@code passport_jti}, an Extension
     * member): on when the fake starts and after a reset.
     *
     * @param named the switch
     */
    public void namePassport(boolean named) {
        state.locked(() -> {
            store.passportNamed = named;
        });
    }

    private ObjectNode json(IntentApproval a, boolean review) {
        ObjectNode o = Json.object();
        o.put("approval_id", a.id);
        o.put("intent_claim_id", a.claimId);
        o.put("status", a.status);
        o.put("agent_id", a.agentId);
        if (store.passportNamed) {
            o.put("passport_jti", a.passportJti);
        }
        o.put("mission_id", a.missionId);
        o.put("intent_type", a.intentType);
        o.put("named_intent", a.namedIntent);
        o.put("target", a.target);
        o.put("action", a.action);
        ObjectNode sim = a.simulation;
        if (sim == null) {
            o.putNull("simulation");
        } else {
            o.set("simulation", sim.deepCopy());
        }
        o.put("block_future", a.blockFuture);
        o.put("created_at", Wire.iso(a.createdAt));
        o.put("expires_at", Wire.iso(a.expiresAt));
        o.put("decided_at", a.decidedAt == null ? null : Wire.iso(a.decidedAt));
        o.put("consumed_at", a.consumedAt == null ? null : Wire.iso(a.consumedAt));
        if (review) {
            o.set("intent", a.intent.deepCopy());
        }
        return o;
    }
}

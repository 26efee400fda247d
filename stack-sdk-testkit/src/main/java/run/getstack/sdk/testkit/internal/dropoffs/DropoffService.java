package run.getstack.sdk.testkit.internal.dropoffs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.crypto.Envelope;
import run.getstack.sdk.testkit.internal.crypto.EnvelopeCipher;
import run.getstack.sdk.testkit.internal.operators.OperatorService;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.schema.JsonSchemas;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Drop-offs (wire protocol §10.1): create, deposit (validated against the drop-off's
 * JSON Schema, sealed under a fresh data key wrapped by the operator's key), collect (first collector wins; the sealed
 * package is deleted in the same locked step, so racing collectors see exactly one winner), status and expire. Expiry
 * runs on the fake's clock: every call first expires what is due. Runs under the state lock.
 */
public final class DropoffService {
    /** Default {@code ttl_seconds}. */
    public static final long DEFAULT_TTL_SECONDS = 1800;
    /** Largest {@code ttl_seconds}: 24 h. */
    public static final long MAX_TTL_SECONDS = 86_400;
    /** Largest payload: its compact UTF-8 JSON. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /** Largest schema: its compact UTF-8 JSON. */
    public static final int MAX_SCHEMA_BYTES = 64 * 1024;
    /** Most recipients of one drop-off. */
    public static final int MAX_RECIPIENTS = 50;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final FakeState state;
    private final DropoffStore store;
    private final Services services;

    DropoffService(FakeState state, DropoffStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    // ------------------------------------------------------------------ endpoints

    ObjectNode create(Call call, Body b) {
        String opId = call.operatorId();
        expireDue(call.requestId());
        String from = firstOf(b, "from_agent", "from_agent_id");
        if (from == null) {
            throw ApiError.invalid("from_agent", "is required");
        }
        String caller = call.agentId();
        if (caller != null && !caller.equals(from)) {
            throw ApiError.reason(
                    403, "FORBIDDEN", "An agent creates drop-offs only as their sender", "agent_principal");
        }
        List<String> to = recipients(b);
        AgentService agents = services.get(AgentService.class);
        agents.own(opId, from);
        for (String t : to) {
            if (t.equals(from)) {
                throw ApiError.invalid("to_agents", "must not name the sender");
            }
            agents.own(opId, t);
        }
        JsonNode schemaNode = b.raw("schema");
        if (schemaNode == null) {
            throw ApiError.invalid("schema", "is required");
        }
        if (Json.write(schemaNode).getBytes(StandardCharsets.UTF_8).length > MAX_SCHEMA_BYTES) {
            throw new ApiError(413, "PAYLOAD_TOO_LARGE", "schema is larger than " + MAX_SCHEMA_BYTES + " bytes", null);
        }
        Long ttlIn = b.optLong("ttl_seconds", 1, MAX_TTL_SECONDS);
        b.optString("on_expire", 64); // legacy: every value expires and purges
        String token = passportToken(call, b);
        if (token != null) {
            Passport p = services.get(PassportChecks.class).present(opId, token, true, call.requestId());
            if (!p.agentId.equals(from)) {
                throw ApiError.reason(403, "FORBIDDEN", "Passport is not the sender's", "passport_not_yours");
            }
        }
        Schema schema = JsonSchemas.compile("schema", schemaNode);
        Instant now = state.now();
        long ttl = ttlIn == null ? DEFAULT_TTL_SECONDS : ttlIn;
        Dropoff d =
                new Dropoff(Wire.id("drp_"), opId, from, to, schemaNode.deepCopy(), schema, now, now.plusSeconds(ttl));
        store.dropoffs.put(d.id, d);
        ObjectNode detail = Json.object();
        detail.put("dropoff_id", d.id);
        detail.set("to_agents", Json.strings(to));
        detail.put("ttl_seconds", ttl);
        audit().append(opId, from, null, "dropoff.create", "success", call.requestId(), detail);
        return json(d);
    }

    ObjectNode deposit(Call call, String id, Body b) {
        String opId = call.operatorId();
        expireDue(call.requestId());
        Dropoff d = visible(call, id);
        String agent = actingAgent(call, b);
        if (!agent.equals(d.fromAgent)) {
            throw ApiError.reason(403, "FORBIDDEN", "Only the drop-off's sender deposits", "not_sender");
        }
        Passport p = passport(call, b, agent);
        JsonNode payload = b.raw("payload");
        if (payload == null) {
            throw ApiError.invalid("payload", "is required");
        }
        byte[] plain = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_PAYLOAD_BYTES) {
            throw new ApiError(
                    413, "PAYLOAD_TOO_LARGE", "payload is larger than " + MAX_PAYLOAD_BYTES + " bytes", null);
        }
        requireOpen(d);
        if (!"created".equals(d.status)) {
            throw ApiError.reason(
                    409, "CONFLICT", "Drop-off " + d.id + " already holds a package", "already_deposited");
        }
        ArrayNode issues = JsonSchemas.validate(d.schema, payload, "");
        if (!issues.isEmpty()) {
            ObjectNode details = Json.object();
            details.put("dropoff_id", d.id);
            details.set("issues", issues);
            ObjectNode detail = Json.object();
            detail.put("dropoff_id", d.id);
            detail.set("paths", paths(issues));
            audit().append(
                            opId,
                            agent,
                            p == null ? null : p.jti,
                            "dropoff.deposit",
                            "failure",
                            call.requestId(),
                            detail,
                            "SCHEMA_VALIDATION_FAILED",
                            null,
                            null,
                            null);
            throw new ApiError(
                    400,
                    "SCHEMA_VALIDATION_FAILED",
                    "Payload does not match the drop-off's schema at " + paths(issues),
                    details);
        }
        try {
            d.sealed = EnvelopeCipher.seal(plain, tenantKey(opId), aad(d));
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
        d.status = "deposited";
        d.depositedAt = state.now();
        d.depositJti = p == null ? null : p.jti;
        d.missionId = missionOf(b, p);
        ObjectNode detail = Json.object();
        detail.put("dropoff_id", d.id);
        detail.put("mission_id", d.missionId);
        audit().append(opId, agent, d.depositJti, "dropoff.deposit", "success", call.requestId(), detail);
        return json(d);
    }

    ObjectNode collect(Call call, String id, Body b) {
        String opId = call.operatorId();
        expireDue(call.requestId());
        Dropoff d = visible(call, id);
        String agent = actingAgent(call, b);
        if (!d.toAgents.contains(agent)) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is not a recipient of drop-off " + d.id, "not_recipient");
        }
        Passport p = passport(call, b, agent);
        if ("collected".equals(d.status)) {
            ObjectNode detail = Json.object();
            detail.put("dropoff_id", d.id);
            detail.put("collected_by", d.collectedBy);
            audit().append(
                            opId,
                            agent,
                            p == null ? null : p.jti,
                            "dropoff.collect",
                            "failure",
                            call.requestId(),
                            detail,
                            "DROPOFF_ALREADY_COLLECTED",
                            null,
                            null,
                            null);
            throw alreadyCollected(d);
        }
        requireOpen(d);
        Envelope sealed = d.sealed;
        if (!"deposited".equals(d.status) || sealed == null) {
            throw ApiError.reason(409, "CONFLICT", "Drop-off " + d.id + " holds no package yet", "not_deposited");
        }
        JsonNode payload;
        byte[] plain = EnvelopeCipher.open(sealed, tenantKey(opId), aad(d));
        try {
            payload = Json.MAPPER.readTree(plain);
        } catch (IOException e) {
            throw new IllegalStateException("a sealed drop-off payload did not parse", e);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
        // custody passes to the collector: the package is deleted in the same locked step
        d.sealed = null;
        d.status = "collected";
        d.collectedBy = agent;
        d.collectedAt = state.now();
        ObjectNode detail = Json.object();
        detail.put("dropoff_id", d.id);
        detail.put("mission_id", missionOf(b, p));
        audit().append(opId, agent, p == null ? null : p.jti, "dropoff.collect", "success", call.requestId(), detail);
        ObjectNode o = json(d);
        o.set("payload", payload);
        return o;
    }

    /**
     * {@code GET /v1/dropoffs} (live tool {@code stack_list_dropoffs}): the drop-offs visible to the caller (the
     * operator's; for an agent, those it sends or receives), newest first, after expiring what is due; paged as the
     * missions list is.
     *
     * @param call the call
     * @return {@code {dropoffs, page, limit, has_more}}
     */
    ObjectNode list(Call call) {
        expireDue(call.requestId());
        long page = Wire.queryLong(call.query(), "page", 1, 1, 1_000_000);
        long limit = Wire.queryLong(call.query(), "limit", 50, 1, 200);
        String agent = call.agentId();
        List<Dropoff> all = new ArrayList<>();
        for (Dropoff d : store.dropoffs.values()) {
            if (d.operatorId.equals(call.operatorId())
                    && (agent == null || agent.equals(d.fromAgent) || d.toAgents.contains(agent))) {
                all.add(d);
            }
        }
        Collections.reverse(all);
        return Wire.page("dropoffs", all, page, limit, DropoffService::json);
    }

    ObjectNode status(Call call, String id) {
        expireDue(call.requestId());
        return json(visible(call, id));
    }

    ObjectNode expire(Call call, String id) {
        expireDue(call.requestId());
        Dropoff d = visible(call, id);
        String caller = call.agentId();
        if (caller != null && !caller.equals(d.fromAgent)) {
            throw ApiError.reason(403, "FORBIDDEN", "Only the drop-off's sender expires it", "not_sender");
        }
        if ("collected".equals(d.status)) {
            throw alreadyCollected(d);
        }
        if (d.isOpen()) {
            end(d, "explicit", call.requestId(), caller);
        }
        return json(d);
    }

    // ------------------------------------------------------------------ test hooks (Java API)

    /**
     * The sealed package of a drop-off as the fake holds it (wrapped data key and ciphertext), after expiring what is
     * due; empty once collected or expired. Takes the lock.
     *
     * @param operatorId the drop-off's operator
     * @param id the drop-off
     * @return the envelope, or null when none is held (or the drop-off is unknown)
     */
    public @Nullable Envelope sealedPayload(String operatorId, String id) {
        return state.locked(() -> {
            expireDue(null);
            Dropoff d = store.dropoffs.get(id);
            return d == null || !d.operatorId.equals(operatorId) ? null : d.sealed;
        });
    }

    /**
     * A drop-off's status after expiring what is due. Takes the lock.
     *
     * @param operatorId the drop-off's operator
     * @param id the drop-off
     * @return the status, or null for an unknown drop-off
     */
    public @Nullable String statusOf(String operatorId, String id) {
        return state.locked(() -> {
            expireDue(null);
            Dropoff d = store.dropoffs.get(id);
            return d == null || !d.operatorId.equals(operatorId) ? null : d.status;
        });
    }

    // ------------------------------------------------------------------ rules

    private void expireDue(@Nullable String trace) {
        Instant now = state.now();
        for (Dropoff d : store.dropoffs.values()) {
            if (d.isOpen() && !now.isBefore(d.expiresAt)) {
                end(d, "ttl", trace, null);
            }
        }
    }

    private void end(Dropoff d, String why, @Nullable String trace, @Nullable String agent) {
        d.sealed = null;
        d.status = "expired";
        d.expiredAt = state.now();
        ObjectNode detail = Json.object();
        detail.put("dropoff_id", d.id);
        detail.put("reason", why);
        audit().append(
                        d.operatorId,
                        agent != null ? agent : d.fromAgent,
                        null,
                        "dropoff.expire",
                        "success",
                        trace,
                        detail);
    }

    private static void requireOpen(Dropoff d) {
        if ("expired".equals(d.status) || "failed".equals(d.status)) {
            ObjectNode details = Json.object();
            details.put("dropoff_id", d.id);
            details.put("expired_at", d.expiredAt == null ? null : Wire.iso(d.expiredAt));
            throw new ApiError(410, "DROPOFF_EXPIRED", "Drop-off " + d.id + " has expired", details);
        }
    }

    private static ApiError alreadyCollected(Dropoff d) {
        ObjectNode details = Json.object();
        details.put("dropoff_id", d.id);
        details.put("collected_by", d.collectedBy);
        details.put("collected_at", d.collectedAt == null ? null : Wire.iso(d.collectedAt));
        return new ApiError(
                409,
                "DROPOFF_ALREADY_COLLECTED",
                "Drop-off " + d.id + " was already collected by " + d.collectedBy,
                details);
    }

    /** The drop-off if the caller may see it: its operator's, and for an agent its sender or a recipient. */
    private Dropoff visible(Call call, String id) {
        Dropoff d = store.dropoffs.get(id);
        String agent = call.agentId();
        if (d == null
                || !d.operatorId.equals(call.operatorId())
                || (agent != null && !agent.equals(d.fromAgent) && !d.toAgents.contains(agent))) {
            throw ApiError.notFound("Drop-off");
        }
        return d;
    }

    /** The agent a deposit or collect acts for: the agent principal, or the body's {@code agent_id} for operators. */
    private String actingAgent(Call call, Body b) {
        String named = b.optString("agent_id", 128);
        String caller = call.agentId();
        if (caller != null) {
            if (named != null && !named.equals(caller)) {
                throw ApiError.reason(403, "FORBIDDEN", "Not allowed for an agent principal", "agent_principal");
            }
            return caller;
        }
        if (named == null) {
            throw ApiError.invalid("agent_id", "is required when an operator or member calls");
        }
        return named;
    }

    /**
     * The passport a deposit or collect is made under: {@code X-Passport-Token} (or the body's {@code
     * passport_token}), else the body's {@code passport_jti}. Required when an agent calls (STACK live {@code
     * stack_deposit}, {@code stack_collect}); it must be live and the acting agent's own.
     */
    private @Nullable Passport passport(Call call, Body b, String agent) {
        String opId = call.operatorId();
        String token = passportToken(call, b);
        String jti = b.optString("passport_jti", 128);
        Passport p;
        if (token != null) {
            p = services.get(PassportChecks.class).present(opId, token, true, call.requestId());
        } else if (jti != null) {
            p = services.get(PassportService.class).find(jti);
            if (p == null || !p.operatorId.equals(opId)) {
                throw ApiError.reason(
                        401, "UNAUTHORIZED", "Passport unknown to this control plane", "unknown_passport");
            }
            if (p.checkedOutAt != null) {
                throw PassportChecks.checkedOut(p);
            }
            if (p.revoked) {
                throw PassportChecks.revokedError(p);
            }
            if (!state.now().isBefore(p.expiresAt)) {
                throw PassportChecks.expiredError(p);
            }
        } else {
            if (call.agentId() != null) {
                throw ApiError.reason(
                        400,
                        "INVALID_REQUEST",
                        "An agent deposits and collects under its passport: send X-Passport-Token or passport_jti",
                        "passport_required");
            }
            return null;
        }
        if (!p.agentId.equals(agent)) {
            throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another agent", "passport_not_yours");
        }
        String mission = b.optString("mission_id", 128);
        if (mission != null && !mission.equals(p.missionId)) {
            throw ApiError.reason(
                    403, "FORBIDDEN", "The passport is not bound to mission " + mission, "mission_not_on_passport");
        }
        return p;
    }

    private static @Nullable String passportToken(Call call, Body b) {
        String header = call.header("x-passport-token");
        return header != null ? header : b.optString("passport_token", Jws.MAX_TOKEN_CHARS);
    }

    private static @Nullable String missionOf(Body b, @Nullable Passport p) {
        String named = b.optString("mission_id", 128);
        return named != null ? named : p == null ? null : p.missionId;
    }

    private static @Nullable String firstOf(Body b, String field, String alias) {
        String v = b.optString(field, 128);
        return v != null ? v : b.optString(alias, 128);
    }

    /** {@code to_agents} (any number, STACK live) or {@code to_agent} / {@code to_agent_id} (one); exactly one form. */
    private static List<String> recipients(Body b) {
        boolean many = b.has("to_agents");
        String one = firstOf(b, "to_agent", "to_agent_id");
        if (many == (one != null)) {
            throw ApiError.invalid("to_agents", "send exactly one of to_agent and to_agents");
        }
        List<String> to =
                many ? b.reqStrings("to_agents", 1, MAX_RECIPIENTS, 128) : List.of(Objects.requireNonNull(one));
        Set<String> seen = new LinkedHashSet<>();
        for (String t : to) {
            if (!ID.matcher(t).matches()) {
                throw ApiError.invalid("to_agents", "must be agent ids");
            }
            seen.add(t);
        }
        return new ArrayList<>(seen);
    }

    private static ArrayNode paths(ArrayNode issues) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode i : issues) {
            out.add(i.path("path").asText());
        }
        return out;
    }

    private javax.crypto.SecretKey tenantKey(String operatorId) {
        return services.get(OperatorService.class).get(operatorId).tenantKey;
    }

    /** Binds the sealed package to its drop-off: moved to another one, it does not open. */
    private static byte[] aad(Dropoff d) {
        return ("dropoff:" + d.id).getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode json(Dropoff d) {
        ObjectNode o = Json.object();
        o.put("id", d.id);
        o.put("status", d.status);
        o.put("from_agent", d.fromAgent);
        o.put("to_agent", d.toAgents.get(0));
        o.set("to_agents", Json.strings(d.toAgents));
        o.set("schema", d.schemaNode.deepCopy());
        o.put("created_at", Wire.iso(d.createdAt));
        o.put("expires_at", Wire.iso(d.expiresAt));
        o.put("deposited_at", d.depositedAt == null ? null : Wire.iso(d.depositedAt));
        o.put("collected_by", d.collectedBy);
        o.put("collected_at", d.collectedAt == null ? null : Wire.iso(d.collectedAt));
        o.put("mission_id", d.missionId);
        return o;
    }
}

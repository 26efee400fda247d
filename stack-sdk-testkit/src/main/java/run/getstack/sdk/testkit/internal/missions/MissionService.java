package run.getstack.sdk.testkit.internal.missions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.ChainVerification;
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
import run.getstack.sdk.testkit.internal.revocation.RevocationFeed;
import run.getstack.sdk.testkit.internal.schema.JsonSchemas;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Missions (wire protocol §10.4). Every method runs under the state lock (the route
 * handlers hold it; the seeding and owner entry points take it).
 */
public final class MissionService {
    /** Most recipients, and most recipient pins, one add may send (as {@code stack_add_mission_recipients}). */
    static final int MAX_RECIPIENTS_PER_CALL = 64;
    /** Most recipients, and most recipient pins, a mission holds [Extension bound]. */
    static final int MAX_RECIPIENTS = 1000;

    private final FakeState state;
    private final MissionStore store;
    private final Services services;

    MissionService(FakeState state, MissionStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    private PassportService passports() {
        return services.get(PassportService.class);
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    // ------------------------------------------------------------------ used by other modules

    /**
     * The mission an issue names (§3.1): exactly one live mission of the operator, assigned to the agent or
     * unassigned (then assigned to it).
     *
     * @param operatorId the caller's operator
     * @param agentId the agent the passport is for
     * @param missionIds {@code mission_ids}, or null when missing
     * @return the mission
     */
    public Mission requireLiveForIssue(String operatorId, String agentId, @Nullable List<String> missionIds) {
        if (missionIds == null || missionIds.isEmpty()) {
            throw ApiError.reason(
                    400,
                    "MISSION_REQUIRED",
                    "A passport is issued only for a live mission: send mission_ids with one live mission",
                    "missing");
        }
        if (missionIds.size() > 1) {
            throw ApiError.reason(400, "MISSION_REQUIRED", "mission_ids must hold exactly one mission", "too_many");
        }
        Mission m = own(operatorId, missionIds.get(0));
        if (!m.status.equals("active")) {
            throw ApiError.reason(
                    400, "MISSION_REQUIRED", "Mission " + m.id + " is " + m.status + ", not live", "not_live");
        }
        if (m.agentId != null && !m.agentId.equals(agentId)) {
            throw ApiError.reason(
                    400, "MISSION_REQUIRED", "Mission " + m.id + " is assigned to another agent", "not_assigned");
        }
        m.agentId = agentId;
        return m;
    }

    /**
     * Returns a mission if it exists.
     *
     * @param id the mission
     * @return it, or null
     */
    public @Nullable Mission find(String id) {
        return store.missions.get(id);
    }

    // ------------------------------------------------------------------ endpoints

    private Mission newMission(String operatorId, String agentId, Body b) {
        String summary = b.reqString("intent_summary", 500);
        List<String> svcs = b.optStrings("services", 100, 128);
        List<String> recipients = b.optStrings("recipients", 64, 320);
        JsonNode schema = b.raw("output_schema");
        if (schema != null && !schema.isObject() && !schema.isNull()) {
            throw ApiError.invalid("output_schema", "must be an object");
        }
        JsonNode declared = schema == null || schema.isNull() ? null : schema.deepCopy();
        Schema validator = declared == null ? null : JsonSchemas.compile("output_schema", declared);
        Long interval = b.optLong("checkpoint_interval_seconds", 60, 3600);
        Agent a = services.get(AgentService.class).own(operatorId, agentId);
        Long cpi = a.mode.equals("standard") ? null : interval == null ? 300L : interval;
        Mission m = new Mission(
                Wire.id("ms_"),
                operatorId,
                a.id,
                summary,
                svcs == null ? List.of() : svcs,
                recipients == null ? List.of() : recipients,
                declared,
                validator,
                cpi,
                state.now());
        Body limits = b.optObject("limits");
        if (limits != null) {
            MissionCaps.readLimits(m, limits);
        }
        store.missions.put(m.id, m);
        return m;
    }

    ObjectNode open(String operatorId, Body b, @Nullable String trace) {
        Mission m = newMission(operatorId, b.reqString("agent_id", 128), b);
        audit().append(operatorId, m.agentId, null, "mission.open", "success", trace, idDetails(m));
        return json(m, null);
    }

    ObjectNode start(String operatorId, Body b, @Nullable String trace) {
        String agentId = b.reqString("agent_id", 128);
        b.optString("authority_request_id", 255);
        Mission m = newMission(operatorId, agentId, b);
        audit().append(operatorId, m.agentId, null, "mission.start", "success", trace, idDetails(m));
        ObjectNode passport = issueFor(m, b.node(), trace);
        return json(m, passport);
    }

    /** Issues the mission's passport through §3.1, with the start body's passport fields. */
    private ObjectNode issueFor(Mission m, ObjectNode startBody, @Nullable String trace) {
        ObjectNode issue = Json.object();
        issue.put("agent_id", m.agentId);
        issue.set("mission_ids", Json.strings(List.of(m.id)));
        for (String f : List.of("ttl_seconds", "scopes", "identity_claim_ids")) {
            if (startBody.has(f)) {
                issue.set(f, startBody.get(f));
            }
        }
        if (m.checkpointInterval != null) {
            issue.put("checkpoint_interval_seconds", m.checkpointInterval);
        }
        ObjectNode p = passports().issue(m.operatorId, Body.of(issue, ""), trace);
        m.passportJti = p.path("jti").asText();
        return p;
    }

    ObjectNode get(String operatorId, @Nullable String agentId, String id) {
        return json(visible(operatorId, agentId, id), null);
    }

    ObjectNode list(String operatorId, @Nullable String agentId, Map<String, String> q) {
        String status = q.get("status");
        if (status != null
                && !List.of("active", "completed", "revoked", "paused").contains(status)) {
            throw ApiError.invalid("status", "must be active, completed, revoked or paused");
        }
        long page = Wire.queryLong(q, "page", 1, 1, 1_000_000);
        long limit = Wire.queryLong(q, "limit", 50, 1, 200);
        List<Mission> all = new ArrayList<>();
        for (Mission m : store.missions.values()) {
            if (m.operatorId.equals(operatorId)
                    && (agentId == null || agentId.equals(m.agentId))
                    && (status == null || m.status.equals(status))) {
                all.add(m);
            }
        }
        all.sort(Comparator.comparing((Mission m) -> m.startedAt).reversed());
        return Wire.page("missions", all, page, limit, m -> json(m, null));
    }

    ObjectNode renew(String operatorId, @Nullable String agentId, String id, Body b, @Nullable String trace) {
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        Mission old = visible(operatorId, agentId, id);
        if (old.ended()) {
            throw new ApiError(409, "MISSION_ENDED", "Mission " + old.id + " has ended", null);
        }
        Mission m = new Mission(
                Wire.id("ms_"),
                operatorId,
                old.agentId,
                old.intentSummary,
                old.services,
                old.recipients,
                old.outputSchema,
                old.outputValidator,
                old.checkpointInterval,
                state.now());
        m.limits.putAll(old.limits);
        m.perService.putAll(old.perService);
        m.renewedFrom = old.id;
        store.missions.put(m.id, m);
        ObjectNode body = Json.object();
        if (ttl != null) {
            body.put("ttl_seconds", ttl);
        }
        ObjectNode passport = issueFor(m, body, trace);
        old.renewedTo = m.id;
        end(old, "completed", "renewed", "mission_renewed: " + m.id, trace);
        audit().append(operatorId, m.agentId, null, "mission.renew", "success", trace, idDetails(m));
        return json(m, passport);
    }

    ObjectNode complete(String operatorId, @Nullable String agentId, String id, Body b, @Nullable String trace) {
        Mission m = visible(operatorId, agentId, id);
        if (m.ended()) {
            throw new ApiError(409, "MISSION_ENDED", "Mission " + m.id + " has ended", null);
        }
        JsonNode output = b.raw("output");
        if (output != null && m.outputValidator != null) {
            ArrayNode issues = JsonSchemas.validate(m.outputValidator, output, "output");
            if (!issues.isEmpty()) {
                ObjectNode d = Json.object();
                d.set("issues", issues);
                throw new ApiError(
                        400, "OUTPUT_SCHEMA_VIOLATION", "The output does not meet the mission's output schema", d);
            }
        }
        if (output != null) {
            m.outputDigest = "sha256:" + sha256(Json.write(output));
        }
        end(m, "completed", "completed", "mission_completed: " + m.id, trace);
        audit().append(operatorId, m.agentId, null, "mission.complete", "success", trace, idDetails(m));
        return json(m, null);
    }

    ObjectNode revoke(String operatorId, @Nullable String agentId, String id, Body b, @Nullable String trace) {
        String reason = b.optEnum("reason", List.of("adversarial", "operator_initiated_clean"));
        if (reason == null) {
            throw ApiError.invalid("reason", "must be adversarial or operator_initiated_clean");
        }
        String notes = b.optString("notes", 1000);
        Mission m = visible(operatorId, agentId, id);
        List<String> jtis = List.of();
        boolean transitioned = !m.ended();
        if (transitioned) {
            m.notes = notes;
            jtis = end(m, "revoked", reason, "mission_revoked: " + reason, trace);
            ObjectNode d = idDetails(m);
            d.put("reason", reason);
            d.put("notes", notes);
            audit().append(operatorId, m.agentId, null, "mission.revoke", "success", trace, d);
        }
        ObjectNode o = Json.object();
        o.put("mission_id", m.id);
        o.put("status", m.status);
        o.put("end_reason", m.endReason);
        o.put("transitioned", transitioned);
        o.set("revoked_jtis", Json.strings(jtis));
        return o;
    }

    /**
     * The owner's decision on a paused mission (§10.4.6).
     *
     * @param operatorId the operator
     * @param id the mission
     * @param decision raise, continue or close
     * @param limit the new limit of a raise
     * @param trace the request id
     * @return the mission
     */
    public ObjectNode review(
            String operatorId, String id, String decision, @Nullable Long limit, @Nullable String trace) {
        Mission m = own(operatorId, id);
        if (!m.status.equals("paused")) {
            throw new ApiError(409, "MISSION_NOT_PAUSED", "Mission " + m.id + " is not paused", null);
        }
        if (!decision.equals("raise") && limit != null) {
            throw ApiError.invalid("limit", "is allowed only with raise");
        }
        switch (decision) {
            case "raise" -> {
                if (limit == null) {
                    throw ApiError.invalid("limit", "is required with raise");
                }
                MissionCaps.raise(m, limit);
            }
            case "continue" -> MissionCaps.resume(m);
            case "close" ->
                end(m, "completed", "completed_cap_breached", "mission_closed: completed_cap_breached", trace);
            default -> throw ApiError.invalid("decision", "must be raise, continue or close");
        }
        ObjectNode d = idDetails(m);
        d.put("decision", decision);
        audit().append(operatorId, m.agentId, null, "mission.review", "success", trace, d);
        return json(m, null);
    }

    /**
     * {@code POST /v1/missions/{id}/recipients} (live tool {@code stack_add_mission_recipients}): the owner adds
     * exact recipients and recipient pins to a live mission; values already there are kept once, nothing is
     * removed. The route refuses agent callers.
     *
     * @param operatorId operator
     * @param id mission id
     * @param b {@code {recipients?, recipient_pins?}}, at least one value
     * @param trace request id
     * @return {@code {mission_id, recipients, recipient_pins}}
     */
    ObjectNode addRecipients(String operatorId, String id, Body b, @Nullable String trace) {
        Mission m = own(operatorId, id);
        List<String> add = b.optStrings("recipients", MAX_RECIPIENTS_PER_CALL, 320);
        if (add != null) {
            for (int i = 0; i < add.size(); i++) {
                if (add.get(i).isBlank()) {
                    throw ApiError.invalid("recipients." + i, "must not be blank");
                }
            }
        }
        List<Body> pins = b.optObjects("recipient_pins", MAX_RECIPIENTS_PER_CALL);
        List<ObjectNode> newPins = new ArrayList<>();
        if (pins != null) {
            for (int i = 0; i < pins.size(); i++) {
                Body pin = pins.get(i);
                ObjectNode p = Json.object();
                String path = pin.reqString("path", 256);
                String op = pin.reqString("op", 32);
                String value = pin.reqString("value", 320);
                if (path.isBlank()) {
                    throw ApiError.invalid("recipient_pins." + i + ".path", "must not be blank");
                }
                if (!op.matches("[a-z_]{1,32}")) {
                    throw ApiError.invalid("recipient_pins." + i + ".op", "must match [a-z_]{1,32}");
                }
                if (value.isEmpty()) {
                    throw ApiError.invalid("recipient_pins." + i + ".value", "must not be empty");
                }
                p.put("path", path);
                p.put("op", op);
                p.put("value", value);
                newPins.add(p);
            }
        }
        if ((add == null || add.isEmpty()) && newPins.isEmpty()) {
            throw ApiError.invalid("recipients", "send at least one recipient or recipient pin");
        }
        if (m.ended()) {
            throw new ApiError(409, "MISSION_ENDED", "Mission " + m.id + " has ended", null);
        }
        Set<String> have = new java.util.LinkedHashSet<>(m.recipients);
        if (add != null) {
            have.addAll(add);
        }
        List<ObjectNode> mergedPins = new ArrayList<>(m.recipientPins);
        for (ObjectNode p : newPins) {
            if (!mergedPins.contains(p)) {
                mergedPins.add(p);
            }
        }
        if (have.size() > MAX_RECIPIENTS || mergedPins.size() > MAX_RECIPIENTS) {
            throw ApiError.invalid("recipients", "a mission holds at most " + MAX_RECIPIENTS + " recipients and pins");
        }
        m.recipients.clear();
        m.recipients.addAll(have);
        m.recipientPins.clear();
        m.recipientPins.addAll(mergedPins);
        ObjectNode d = idDetails(m);
        d.put("recipients", m.recipients.size());
        d.put("recipient_pins", m.recipientPins.size());
        audit().append(operatorId, m.agentId, null, "mission.recipients", "success", trace, d);
        ObjectNode o = Json.object();
        o.put("mission_id", m.id);
        o.set("recipients", Json.strings(m.recipients));
        ArrayNode out = o.putArray("recipient_pins");
        m.recipientPins.forEach(pin -> out.add(pin.deepCopy()));
        return o;
    }

    ObjectNode reviewEndpoint(String operatorId, String id, Body b, @Nullable String trace) {
        String decision = b.optEnum("decision", List.of("raise", "continue", "close"));
        if (decision == null) {
            throw ApiError.invalid("decision", "must be raise, continue or close");
        }
        return review(operatorId, id, decision, b.optLong("limit", 1, Long.MAX_VALUE), trace);
    }

    /** Ends a mission and revokes every passport bound to it as one {@code mission} feed event. */
    private List<String> end(Mission m, String status, String endReason, String revokeReason, @Nullable String trace) {
        m.status = status;
        m.endReason = endReason;
        m.endedAt = state.now();
        m.pausedCap = null;
        m.pausedService = null;
        List<String> jtis = new ArrayList<>();
        PassportRevocation revocation = services.get(PassportRevocation.class);
        for (Passport p : passports().ofMission(m.id)) {
            if (!p.revoked) {
                jtis.addAll(revocation.revokeCascade(p, revokeReason, trace));
            }
        }
        services.get(RevocationFeed.class).emitMission(m.operatorId, m.id, jtis, revokeReason);
        return jtis;
    }

    ObjectNode passportReport(String operatorId, @Nullable String agentId, String jti) {
        Passport p = passports().own(operatorId, jti);
        if (agentId != null && !agentId.equals(p.agentId)) {
            throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another agent", "passport_not_yours");
        }
        return passportReportOf(p);
    }

    private ObjectNode passportReportOf(Passport p) {
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        o.put("agent_id", p.agentId);
        o.put("mission_id", p.missionId);
        o.put("parent_jti", p.parentJti);
        o.put("intent_summary", p.intentSummary);
        o.set("services", Json.strings(p.intentServices));
        o.put("issued_at", Wire.iso(p.issuedAt));
        o.put("expires_at", Wire.iso(p.expiresAt));
        String status = p.checkedOutAt != null
                ? "checked_out"
                : p.revoked ? "revoked" : state.now().isBefore(p.expiresAt) ? "active" : "expired";
        o.put("status", status);
        ArrayNode cps = o.putArray("checkpoints");
        p.checkpoints.forEach(c -> cps.add(c.deepCopy()));
        if (p.checkedOutAt == null) {
            o.putNull("checkout");
        } else {
            o.putObject("checkout")
                    .put("status", p.checkoutStatus)
                    .put("summary", p.checkoutSummary)
                    .put("checked_out_at", Wire.iso(p.checkedOutAt));
        }
        o.putNull("review");
        return o;
    }

    ObjectNode missionReport(String operatorId, @Nullable String agentId, String id) {
        Mission m = visible(operatorId, agentId, id);
        List<Passport> ps = new ArrayList<>(passports().ofMission(m.id));
        ps.sort(Comparator.comparing((Passport p) -> p.issuedAt).thenComparingInt(p -> p.depth));
        Set<String> jtis = new HashSet<>();
        ObjectNode o = Json.object();
        o.set("mission", json(m, null));
        ArrayNode arr = o.putArray("passports");
        for (Passport p : ps) {
            jtis.add(p.jti);
            arr.add(passportReportOf(p));
        }
        ArrayNode au = o.putArray("audit");
        for (AuditEntry e : audit().entries(operatorId)) {
            if (e.passportJti() != null && jtis.contains(e.passportJti())) {
                au.add(AuditService.auditJson(e));
            }
        }
        ChainVerification v = audit().verifyChain(operatorId);
        o.putObject("chain").put("valid", v.valid()).put("checked", v.checked());
        return o;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Returns the operator's mission.
     *
     * @param operatorId the operator
     * @param id the mission
     * @return it
     */
    public Mission own(String operatorId, String id) {
        Mission m = store.missions.get(id);
        if (m == null || !m.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Mission");
        }
        return m;
    }

    /**
     * Every mission of an operator, in start order (for the owner's test hooks).
     *
     * @param operatorId the operator
     * @return the missions
     */
    public List<Mission> all(String operatorId) {
        return store.missions.values().stream()
                .filter(m -> m.operatorId.equals(operatorId))
                .toList();
    }

    private Mission visible(String operatorId, @Nullable String agentId, String id) {
        Mission m = own(operatorId, id);
        if (agentId != null && !agentId.equals(m.agentId)) {
            throw ApiError.notFound("Mission");
        }
        return m;
    }

    /**
     * Opens a mission for a seeded passport (test seeding).
     *
     * @param operatorId the operator
     * @param agentId the agent
     * @param intentSummary the intent
     * @param svcs the services
     * @return the mission id
     */
    public String seedMission(String operatorId, String agentId, String intentSummary, List<String> svcs) {
        ObjectNode b = Json.object();
        b.put("agent_id", agentId);
        b.put("intent_summary", intentSummary);
        b.set("services", Json.strings(svcs));
        return newMission(operatorId, agentId, Body.of(b, "")).id;
    }

    private static ObjectNode idDetails(Mission m) {
        ObjectNode d = Json.object();
        d.put("mission_id", m.id);
        return d;
    }

    /**
     * The Mission object (§10.4.1).
     *
     * @param m the mission
     * @param passport the issued passport (with token) or null
     * @return the JSON
     */
    public ObjectNode json(Mission m, @Nullable ObjectNode passport) {
        ObjectNode o = Json.object();
        o.put("mission_id", m.id);
        o.put("agent_id", m.agentId);
        o.put("status", m.status);
        o.put("end_reason", m.endReason);
        o.put("intent_summary", m.intentSummary);
        o.set("services", Json.strings(m.services));
        ObjectNode lim = o.putObject("limits");
        MissionCaps.writeLimits(m, lim);
        ObjectNode u = o.putObject("usage");
        u.put("actions", m.actions);
        u.put("cents", m.cents);
        Instant until = m.endedAt != null ? m.endedAt : state.now();
        u.put("seconds", Math.max(0, Duration.between(m.startedAt, until).toSeconds()));
        u.put("bytes", m.bytes);
        ObjectNode by = u.putObject("actions_by_service");
        m.actionsByService.forEach(by::put);
        o.put("paused_cap", m.pausedCap);
        o.put("paused_service", m.pausedService);
        o.set("recipients", Json.strings(m.recipients));
        ArrayNode pins = o.putArray("recipient_pins");
        m.recipientPins.forEach(pin -> pins.add(pin.deepCopy()));
        if (m.outputSchema == null) {
            o.putNull("output_schema");
        } else {
            o.set("output_schema", m.outputSchema.deepCopy());
        }
        o.put("output_digest", m.outputDigest);
        if (m.checkpointInterval == null) {
            o.putNull("checkpoint_interval_seconds");
        } else {
            o.put("checkpoint_interval_seconds", m.checkpointInterval);
        }
        o.put("notes", m.notes);
        if (passport != null) {
            ObjectNode p = o.putObject("passport");
            for (String f : List.of(
                    "token",
                    "jti",
                    "expires_at",
                    "issued_at",
                    "agent_id",
                    "session_id",
                    "delegation_depth",
                    "mission_id")) {
                if (passport.has(f)) {
                    p.set(f, passport.get(f));
                }
            }
        } else if (m.passportJti != null) {
            Passport p = passports().find(m.passportJti);
            if (p != null) {
                o.putObject("passport")
                        .put("jti", p.jti)
                        .put("expires_at", Wire.iso(p.expiresAt))
                        .put("issued_at", Wire.iso(p.issuedAt))
                        .put("agent_id", p.agentId)
                        .put("session_id", p.sessionId)
                        .put("delegation_depth", p.depth);
            } else {
                o.putNull("passport");
            }
        } else {
            o.putNull("passport");
        }
        o.put("renewed_from", m.renewedFrom);
        o.put("renewed_to", m.renewedTo);
        o.put("started_at", Wire.iso(m.startedAt));
        o.put("ended_at", m.endedAt == null ? null : Wire.iso(m.endedAt));
        return o;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

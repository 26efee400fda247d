package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.grants.Grant;
import run.getstack.sdk.testkit.internal.grants.GrantService;
import run.getstack.sdk.testkit.internal.identity.IdentityService;
import run.getstack.sdk.testkit.internal.keys.SigningKeys;
import run.getstack.sdk.testkit.internal.missions.Mission;
import run.getstack.sdk.testkit.internal.missions.MissionService;
import run.getstack.sdk.testkit.internal.services.Connection;
import run.getstack.sdk.testkit.internal.services.ConnectionService;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Passports (wire protocol §3): issue, refresh, delegate, and lookups for the other
 * modules. Runs under the state lock unless a method says otherwise.
 */
public final class PassportService {
    private final FakeState state;
    private final PassportStore store;
    private final Services services;
    private final String issuer;

    PassportService(FakeState state, PassportStore store, Services services, String issuer) {
        this.state = state;
        this.store = store;
        this.services = services;
        this.issuer = issuer;
    }

    private SigningKeys keys() {
        return services.get(SigningKeys.class);
    }

    private AgentService agents() {
        return services.get(AgentService.class);
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    private PassportChecks checks() {
        return services.get(PassportChecks.class);
    }

    /**
     * Every passport bound to a mission (delegated children carry their parent's).
     *
     * @param missionId the mission
     * @return the passports
     */
    public List<Passport> ofMission(String missionId) {
        return store.passports.values().stream()
                .filter(p -> missionId.equals(p.missionId))
                .toList();
    }

    /**
     * Every passport carrying an identity claim (wire protocol §10.2).
     *
     * @param claimId the claim
     * @return the passports
     */
    public List<Passport> carryingClaim(String claimId) {
        return store.passports.values().stream()
                .filter(p -> p.claimIds.contains(claimId))
                .toList();
    }

    /**
     * A passport by jti.
     *
     * @param jti passport
     * @return it, or null
     */
    public @Nullable Passport find(String jti) {
        return store.passports.get(jti);
    }

    /**
     * A passport of the operator.
     *
     * @param operatorId operator
     * @param jti passport
     * @return the passport
     * @throws ApiError 404 otherwise
     */
    public Passport own(String operatorId, String jti) {
        Passport p = store.passports.get(jti);
        if (p == null || !p.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Passport");
        }
        return p;
    }

    /**
     * Every passport in issue order (the live list; do not modify).
     *
     * @return passports
     */
    java.util.Collection<Passport> all() {
        return store.passports.values();
    }

    /**
     * A passport by jti, for test hooks.
     *
     * @param jti passport
     * @return the passport
     * @throws IllegalArgumentException when unknown
     */
    public Passport require(String jti) {
        Passport p = store.passports.get(jti);
        if (p == null) {
            throw new IllegalArgumentException("unknown passport: " + jti);
        }
        return p;
    }

    private List<ServiceScope> scopesFromGrants(Agent a) {
        List<ServiceScope> out = new ArrayList<>();
        for (Grant g : services.get(GrantService.class).grantsOf(a.id)) {
            Connection c = services.get(ConnectionService.class).find(g.connectionId());
            if (c != null) {
                out.add(new ServiceScope(c.id, c.service.provider(), g.scopes(), c.credRef, g.constraints()));
            }
        }
        return out;
    }

    record Intent(String summary, List<String> services) {}

    private static @Nullable Intent parseIntent(Body b) {
        Body i = b.optObject("intent");
        if (i == null) {
            return null;
        }
        String summary = i.reqString("summary", 500);
        List<String> services = i.reqStrings("services", 0, 100, 128);
        i.optBool("will_delegate");
        i.optLong("estimated_duration_seconds", 0, Long.MAX_VALUE);
        return new Intent(summary, services);
    }

    /**
     * Issues a passport directly (seeding), as {@code POST /v1/passports/issue} with the body.
     *
     * @param agentId agent
     * @param body issue body
     * @return the issue response
     */
    public ObjectNode seed(String agentId, ObjectNode body) {
        return state.locked(() -> {
            Agent a = agents().require(agentId);
            body.put("agent_id", agentId);
            if (!body.has("mission_ids")) {
                // every passport belongs to a mission: seeding opens one from the intent, so tests stay short
                JsonNode intent = body.path("intent");
                List<String> svcs = new ArrayList<>();
                intent.path("services").forEach(n -> svcs.add(n.asText()));
                String summary = intent.path("summary").isTextual()
                        ? intent.path("summary").asText()
                        : "seeded passport of " + agentId;
                body.set(
                        "mission_ids",
                        Json.strings(List.of(
                                services.get(MissionService.class).seedMission(a.operatorId, agentId, summary, svcs))));
            }
            return issue(a.operatorId, Body.of(body, ""), "seed");
        });
    }

    /**
     * The signed claims of a stored passport (test hook).
     *
     * @param jti passport
     * @return a copy
     */
    public ObjectNode claimsCopy(String jti) {
        return state.locked(() -> require(jti).claims.deepCopy());
    }

    /**
     * Whether a passport is revoked (test hook).
     *
     * @param jti passport
     * @return the flag
     */
    public boolean isRevoked(String jti) {
        return state.locked(() -> require(jti).revoked);
    }

    /**
     * Issues a passport (§3.1).
     *
     * @param operatorId operator
     * @param b the issue body
     * @param trace request id or null
     * @return the issue response
     */
    public ObjectNode issue(String operatorId, Body b, @Nullable String trace) {
        String agentId = b.reqString("agent_id", 128);
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        Long interval = b.optLong("checkpoint_interval_seconds", 60, 3600);
        List<Body> scopeBodies = b.optObjects("scopes", 100);
        List<String> claimIds = b.optStrings("identity_claim_ids", 100, 128);
        List<String> missionIds = b.optStrings("mission_ids", 10, 128);
        String flatSummary = b.optString("intent_summary", 500);
        Intent intent = parseIntent(b);
        Agent a = agents().own(operatorId, agentId);
        // STACK live (stack_issue_passport): exactly one live mission, assigned to this agent or unassigned
        Mission mission = services.get(MissionService.class).requireLiveForIssue(operatorId, a.id, missionIds);
        if (intent == null && flatSummary != null) {
            intent = new Intent(flatSummary, mission.services);
        }
        if (intent == null && !a.mode.equals("standard") && !mission.services.isEmpty()) {
            // the mission carries the intent (summary and services) an enforced or logged agent must give
            intent = new Intent(mission.intentSummary, mission.services);
        }
        if (a.passportBlocked) {
            throw new ApiError(403, "PASSPORT_BLOCKED", "Agent is blocked from receiving passports", null);
        }
        if (a.status.equals("suspended")) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is suspended", "agent_suspended");
        }
        if (intent == null && !a.mode.equals("standard")) {
            throw new ApiError(400, "ACCOUNTABILITY_REQUIRED", "An intent is required for " + a.mode + " agents", null);
        }
        List<ServiceScope> granted = scopesFromGrants(a);
        List<ServiceScope> services;
        if (scopeBodies == null) {
            services = granted;
        } else {
            services = new ArrayList<>();
            for (Body sb : scopeBodies) {
                String connId = sb.reqString("service_connection_id", 128);
                List<String> scopes = sb.reqStrings("scopes", 0, 100, 256);
                ServiceScope g = granted.stream()
                        .filter(s -> s.connectionId().equals(connId))
                        .findFirst()
                        .orElse(null);
                if (g == null || !g.scopes().containsAll(scopes)) {
                    throw ApiError.reason(403, "FORBIDDEN", "Scope not granted to the agent", "scope_not_granted");
                }
                services.add(new ServiceScope(connId, g.provider(), scopes, g.credRef(), g.constraints()));
            }
        }
        long requested = ttl == null ? 900 : ttl;
        Integer cpi = a.mode.equals("standard") ? null : (int) (interval == null ? 300 : (long) interval);
        long effective = a.mode.equals("enforced") && cpi != null ? Math.min(requested, cpi) : requested;
        List<ObjectNode> claims = this.services.get(IdentityService.class).claimsForIssue(operatorId, claimIds);
        Instant now = state.now();
        Passport p = newPassport(
                mission.id,
                operatorId,
                a,
                Wire.id("ses_"),
                0,
                null,
                List.of(),
                services,
                intent,
                a.mode,
                cpi,
                requested,
                now,
                now.plusSeconds(effective),
                claims);
        audit().append(operatorId, a.id, p.jti, "passport.issue", "success", trace, null);
        return passportResponse(p);
    }

    private Passport newPassport(
            @Nullable String missionId,
            String operatorId,
            Agent a,
            String sessionId,
            int depth,
            @Nullable String parentJti,
            List<String> chain,
            List<ServiceScope> services,
            @Nullable Intent intent,
            String mode,
            @Nullable Integer cpi,
            long requestedTtl,
            Instant issuedAt,
            Instant expiresAt,
            List<ObjectNode> identityClaims) {
        String jti = Wire.id("pp_");
        ObjectNode claims = Json.object();
        claims.put("iss", issuer);
        claims.put("sub", a.id);
        claims.put("aud", "stack:passport");
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("nbf", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", jti);
        ObjectNode stk = claims.putObject("stk");
        stk.put("operator_id", operatorId);
        stk.put("agent_id", a.id);
        stk.put("agent_name", a.name);
        ArrayNode svcs = stk.putArray("services");
        for (ServiceScope s : services) {
            ObjectNode o = svcs.addObject();
            o.put("service_id", s.connectionId());
            o.put("service_name", s.provider());
            o.set("scopes", Json.strings(s.scopes()));
            o.put("credential_ref", s.credRef());
            ArrayNode cs = o.putArray("constraints");
            s.constraints().forEach(cs::add);
        }
        ArrayNode ics = stk.putArray("identity_claims");
        List<String> claimIds = new ArrayList<>(identityClaims.size());
        for (ObjectNode c : identityClaims) {
            ics.add(c);
            claimIds.add(c.path("claim_id").asText());
        }
        stk.put("delegation_depth", depth);
        stk.put("session_id", sessionId);
        stk.put("accountability", mode);
        stk.put("intent_summary", intent == null ? null : intent.summary());
        stk.set("intent_services", Json.strings(intent == null ? List.of() : intent.services()));
        if (cpi == null) {
            stk.putNull("checkpoint_interval");
        } else {
            stk.put("checkpoint_interval", (int) cpi);
        }
        stk.put("parent_jti", parentJti);
        stk.set("delegation_chain", Json.strings(chain));
        stk.put("mission_id", missionId);
        String token = keys().signLocked(claims);
        Passport p = new Passport(
                jti,
                missionId,
                operatorId,
                a.id,
                sessionId,
                depth,
                parentJti,
                chain,
                services,
                intent == null ? null : intent.summary(),
                intent == null ? List.of() : intent.services(),
                mode,
                cpi,
                requestedTtl,
                issuedAt,
                expiresAt,
                claims,
                token);
        p.claimIds = List.copyOf(claimIds);
        store.passports.put(jti, p);
        return p;
    }

    static ObjectNode passportResponse(Passport p) {
        ObjectNode o = Json.object();
        o.put("token", p.token);
        o.put("jti", p.jti);
        o.put("expires_at", Wire.iso(p.expiresAt));
        o.put("issued_at", Wire.iso(p.issuedAt));
        o.put("agent_id", p.agentId);
        o.put("session_id", p.sessionId);
        o.put("delegation_depth", p.depth);
        o.put("mission_id", p.missionId);
        return o;
    }

    ObjectNode refresh(String operatorId, Body b, String trace) {
        String token = b.reqString("token", Jws.MAX_TOKEN_CHARS * 2);
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        PassportChecks.Checked ch = checks().checkSignature(token);
        ObjectNode claims = ch.claims();
        if (claims == null) {
            String reason = Objects.requireNonNull(ch.failure());
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport token rejected: " + reason, reason);
        }
        if (!operatorId.equals(claims.path("stk").path("operator_id").asText())) {
            throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another operator", "passport_not_yours");
        }
        Passport old = store.passports.get(claims.path("jti").asText());
        if (old == null) {
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport unknown to this control plane", "unknown_passport");
        }
        if (old.checkedOutAt != null) {
            throw PassportChecks.checkedOut(old);
        }
        if (old.revoked) {
            throw PassportChecks.revokedError(old);
        }
        if (!state.now().isBefore(old.expiresAt.plus(Duration.ofHours(24)))) {
            throw PassportChecks.expiredError(old);
        }
        Agent a = agents().own(operatorId, old.agentId);
        if (a.passportBlocked) {
            throw new ApiError(403, "PASSPORT_BLOCKED", "Agent is blocked from receiving passports", null);
        }
        if (a.status.equals("suspended")) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is suspended", "agent_suspended");
        }
        long requested = ttl == null ? old.requestedTtl : ttl;
        long effective = old.mode.equals("enforced") && old.checkpointInterval != null
                ? Math.min(requested, old.checkpointInterval)
                : requested;
        Instant now = state.now();
        Instant exp = now.plusSeconds(effective);
        if (old.parentJti != null) {
            Passport parent = store.passports.get(old.parentJti);
            if (parent != null && parent.expiresAt.isBefore(exp)) {
                exp = parent.expiresAt;
            }
        }
        Intent intent = old.intentSummary == null ? null : new Intent(old.intentSummary, old.intentServices);
        Passport p = newPassport(
                old.missionId,
                operatorId,
                a,
                old.sessionId,
                old.depth,
                old.parentJti,
                old.chain,
                currentPermissions(grantee(old), old.services),
                intent,
                old.mode,
                old.checkpointInterval,
                requested,
                now,
                exp,
                this.services.get(IdentityService.class).stillActive(old.claimIds));
        ObjectNode d = Json.object();
        d.put("old_jti", old.jti);
        audit().append(operatorId, a.id, p.jti, "passport.refresh", "success", trace, d);
        return passportResponse(p);
    }

    /** The agent whose grants a passport's scopes come from: its own, or for a delegated one, its root's. */
    private String grantee(Passport p) {
        if (p.chain.isEmpty()) {
            return p.agentId;
        }
        Passport root = store.passports.get(p.chain.get(0));
        return root == null ? p.agentId : root.agentId;
    }

    /**
     * Wire protocol §3.4: a refreshed passport reflects current permissions. Each service scope is kept only while
     * the granting agent (the root's, for a delegated passport) still holds a grant on its connection, narrowed to
     * the scopes that grant still gives; nothing is added.
     */
    private List<ServiceScope> currentPermissions(String agentId, List<ServiceScope> held) {
        Map<String, Grant> grants = new HashMap<>();
        for (Grant g : services.get(GrantService.class).grantsOf(agentId)) {
            grants.put(g.connectionId(), g);
        }
        List<ServiceScope> kept = new ArrayList<>();
        for (ServiceScope s : held) {
            Grant g = grants.get(s.connectionId());
            if (g == null) {
                continue;
            }
            List<String> scopes =
                    s.scopes().stream().filter(g.scopes()::contains).toList();
            if (!scopes.isEmpty()) {
                kept.add(new ServiceScope(s.connectionId(), s.provider(), scopes, s.credRef(), s.constraints()));
            }
        }
        return List.copyOf(kept);
    }

    private static int modeRank(String mode) {
        return switch (mode) {
            case "enforced" -> 2;
            case "logged" -> 1;
            default -> 0;
        };
    }

    ObjectNode delegate(String operatorId, Body b, String trace) {
        // STACK live (stack_delegate_passport) names it parent_passport_token; the older parent_token is accepted
        String parentToken = b.has("parent_passport_token") || !b.has("parent_token")
                ? b.reqString("parent_passport_token", Jws.MAX_TOKEN_CHARS * 2)
                : b.reqString("parent_token", Jws.MAX_TOKEN_CHARS * 2);
        String childId = b.reqString("child_agent_id", 128);
        List<Body> scopeBodies = b.optObjects("scopes", 100);
        if (scopeBodies == null) {
            // STACK live (stack_delegate_passport): the exact connection scopes for the child are required
            throw ApiError.invalid("scopes", "is required: the exact connection scopes for the child");
        }
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        Intent intent = parseIntent(b);
        Passport parent = checks().present(operatorId, parentToken, false, trace);
        Agent child = agents().own(operatorId, childId);
        if (child.passportBlocked) {
            throw new ApiError(403, "PASSPORT_BLOCKED", "Child agent is blocked from receiving passports", null);
        }
        if (child.status.equals("suspended")) {
            throw ApiError.reason(403, "FORBIDDEN", "Child agent is suspended", "agent_suspended");
        }
        int depth = parent.depth + 1;
        if (depth > 4) {
            throw new ApiError(400, "DELEGATION_DEPTH_EXCEEDED", "Delegation depth would exceed 4", null);
        }
        if (modeRank(child.mode) < modeRank(parent.mode)) {
            throw new ApiError(
                    400,
                    "DELEGATION_ACCOUNTABILITY_VIOLATION",
                    "Child agent's accountability mode is weaker than the parent's",
                    null);
        }
        List<ServiceScope> services = new ArrayList<>();
        for (Body sb : scopeBodies) {
            String connId = sb.reqString("service_connection_id", 128);
            List<String> scopes = sb.reqStrings("scopes", 0, 100, 256);
            ServiceScope ps = parent.services.stream()
                    .filter(s -> s.connectionId().equals(connId))
                    .findFirst()
                    .orElse(null);
            if (ps == null || !ps.scopes().containsAll(scopes)) {
                throw new ApiError(400, "SCOPE_ESCALATION", "Requested scopes exceed the parent's", null);
            }
            services.add(new ServiceScope(connId, ps.provider(), scopes, ps.credRef(), ps.constraints()));
        }
        Intent parentIntent =
                parent.intentSummary == null ? null : new Intent(parent.intentSummary, parent.intentServices);
        Intent childIntent = intent;
        if (intent != null) {
            Set<String> allowed = new HashSet<>(parent.intentServices);
            parent.services.forEach(s -> allowed.add(s.provider()));
            if (!allowed.containsAll(intent.services())) {
                throw new ApiError(400, "SCOPE_ESCALATION", "Intent services exceed the parent's", null);
            }
        } else {
            childIntent = parentIntent;
            if (childIntent == null && !child.mode.equals("standard")) {
                throw new ApiError(
                        400, "ACCOUNTABILITY_REQUIRED", "An intent is required for " + child.mode + " agents", null);
            }
        }
        Instant now = state.now();
        long remaining = Math.max(1, Duration.between(now, parent.expiresAt).toSeconds());
        if (ttl != null && ttl > remaining) {
            // STACK live: at most the parent's remaining lifetime
            throw ApiError.invalid("ttl_seconds", "must be at most the parent's remaining " + remaining + " s");
        }
        long requested = ttl == null ? Math.min(remaining, 3600) : ttl;
        Instant exp = now.plusSeconds(requested);
        if (parent.expiresAt.isBefore(exp)) {
            exp = parent.expiresAt;
        }
        Integer cpi = child.mode.equals("standard")
                ? null
                : (parent.checkpointInterval != null ? parent.checkpointInterval : Integer.valueOf(300));
        List<String> chain = new ArrayList<>(parent.chain);
        chain.add(parent.jti);
        Passport p = newPassport(
                parent.missionId,
                operatorId,
                child,
                parent.sessionId,
                depth,
                parent.jti,
                chain,
                services,
                childIntent,
                child.mode,
                cpi,
                requested,
                now,
                exp,
                this.services.get(IdentityService.class).stillActive(parent.claimIds));
        ObjectNode d = Json.object();
        d.put("parent_jti", parent.jti);
        audit().append(operatorId, child.id, p.jti, "passport.delegate", "success", trace, d);
        ObjectNode resp = passportResponse(p);
        resp.put("parent_jti", parent.jti);
        return resp;
    }
}

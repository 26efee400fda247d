package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.SecurityEvent;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.events.Detectors;
import run.getstack.sdk.testkit.internal.keys.SigningKeys;
import run.getstack.sdk.testkit.internal.leases.LeaseService;
import run.getstack.sdk.testkit.internal.leases.LeaseState;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. A passport's life after issue: listing the active ones (§3.8), checkpoint (§3.9,
 * detectors may block) and checkout (§3.10, ends its leases through {@link LeaseService}). Runs under the state lock.
 */
final class PassportLifecycle {
    private final FakeState state;
    private final Services services;

    PassportLifecycle(FakeState state, Services services) {
        this.state = state;
        this.services = services;
    }

    private PassportService passports() {
        return services.get(PassportService.class);
    }

    private Detectors detectors() {
        return services.get(Detectors.class);
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    ObjectNode active(String operatorId, Map<String, String> q) {
        String agentId = q.get("agent_id");
        String sessionId = q.get("session_id");
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("passports");
        Instant now = state.now();
        passports().all().stream()
                .filter(p -> p.operatorId.equals(operatorId))
                .filter(p -> !p.revoked && p.checkedOutAt == null && now.isBefore(p.expiresAt))
                .filter(p -> agentId == null || p.agentId.equals(agentId))
                .filter(p -> sessionId == null || p.sessionId.equals(sessionId))
                .sorted((x, y) -> x.issuedAt.compareTo(y.issuedAt))
                .forEach(p -> {
                    ObjectNode o = arr.addObject();
                    o.put("jti", p.jti);
                    o.put("agent_id", p.agentId);
                    o.put("session_id", p.sessionId);
                    o.put("delegation_depth", p.depth);
                    o.put("parent_jti", p.parentJti);
                    o.put("issued_at", Wire.iso(p.issuedAt));
                    o.put("expires_at", Wire.iso(p.expiresAt));
                });
        return root;
    }

    EngineResponse checkpoint(String operatorId, String jti, Body b, String trace) {
        List<String> used = b.reqStrings("services_used", 0, 100, 128);
        long actions = b.reqLong("actions_count", 0, Long.MAX_VALUE);
        b.optStrings("delegated_to", 100, 128);
        String summary = b.reqString("summary", 1000);
        Passport p = passports().own(operatorId, jti);
        if (p.checkedOutAt != null) {
            detectors().postCheckout(p, trace);
            throw PassportChecks.checkedOut(p);
        }
        if (p.revoked) {
            throw PassportChecks.revokedError(p);
        }
        if (!state.now().isBefore(p.expiresAt)) {
            throw PassportChecks.expiredError(p);
        }
        if (p.mode.equals("standard")) {
            throw new ApiError(404, "CHECKPOINT_NOT_AVAILABLE", "Checkpoints are not available in standard mode", null);
        }
        Agent a = services.get(AgentService.class).find(p.agentId);
        List<Detectors.Fired> fired = new ArrayList<>();
        for (String s : used) {
            if (!p.intentServices.contains(s)) {
                fired.add(Detectors.outsideScope(p, s, p.mode.equals("enforced") ? "critical" : "warning"));
            }
        }
        List<SecurityEvent> raised = detectors().applySignals(p, a, fired, trace);
        boolean blocked = raised.stream().anyMatch(e -> e.action().equals("blocked"));
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        if (!blocked && p.mode.equals("enforced") && p.checkpointInterval != null) {
            Instant now = state.now();
            p.expiresAt = now.plusSeconds(p.checkpointInterval);
            ObjectNode claims = p.claims.deepCopy();
            claims.put("iat", now.getEpochSecond());
            claims.put("nbf", now.getEpochSecond());
            claims.put("exp", p.expiresAt.getEpochSecond());
            p.claims = claims;
            p.token = services.get(SigningKeys.class).signLocked(claims);
            o.put("token", p.token);
        }
        o.put("expires_at", Wire.iso(p.expiresAt));
        o.put("accepted", true);
        ObjectNode record = Json.object();
        record.put("at", Wire.iso(state.now()));
        record.set("services_used", Json.strings(used));
        record.put("actions_count", actions);
        record.put("summary", summary);
        p.checkpoints.add(record);
        ArrayNode sig = o.putArray("signals");
        for (SecurityEvent e : raised) {
            ObjectNode so = sig.addObject();
            so.put("signal_type", e.signalType());
            so.put("severity", e.severity());
            so.put("security_event_id", e.id());
            so.put("action", e.action());
        }
        audit().append(
                        operatorId,
                        p.agentId,
                        p.jti,
                        "passport.checkpoint",
                        blocked ? "blocked" : "success",
                        trace,
                        null);
        return o.has("token") ? EngineResponse.secret(200, o) : EngineResponse.json(200, o);
    }

    ObjectNode checkout(String operatorId, String jti, Body b, String trace) {
        String summary = b.reqString("summary", 1000);
        List<String> used = b.optStrings("services_used", 100, 128);
        b.optLong("actions_count", 0, Long.MAX_VALUE);
        String outcome = b.optEnum("outcome", List.of("success", "failure"));
        Passport p = passports().own(operatorId, jti);
        if (p.checkedOutAt != null) {
            throw PassportChecks.checkedOut(p);
        }
        String status;
        if (p.criticals > 0) {
            status = "blocked";
        } else if (p.warnings > 0
                || (used != null && p.intentSummary != null && !p.intentServices.containsAll(used))
                || "failure".equals(outcome)) {
            status = "flagged";
        } else {
            status = "clean";
        }
        p.checkedOutAt = state.now();
        p.checkoutStatus = status;
        p.checkoutSummary = summary;
        if (status.equals("blocked")) {
            Agent a = services.get(AgentService.class).find(p.agentId);
            if (a != null) {
                a.passportBlocked = true;
            }
        }
        services.get(LeaseService.class).endForPassport(p.jti, LeaseState.CHECKED_OUT, trace);
        ObjectNode d = Json.object();
        d.put("status", status);
        audit().append(operatorId, p.agentId, p.jti, "passport.checkout", "success", trace, d);
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        o.put("status", status);
        o.put("checked_out_at", Wire.iso(p.checkedOutAt));
        return o;
    }
}

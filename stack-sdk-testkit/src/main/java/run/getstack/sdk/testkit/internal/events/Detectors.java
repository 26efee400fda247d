package run.getstack.sdk.testkit.internal.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.DetectorMode;
import run.getstack.sdk.testkit.SecurityEvent;
import run.getstack.sdk.testkit.Signal;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.DetectorConfig;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.passports.PassportRevocation;
import run.getstack.sdk.testkit.internal.passports.ServiceScope;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Detectors (wire protocol §9.2, §9.3): signals become security events; a block
 * revokes the passport through {@link PassportRevocation} and sets the agent's {@code passport_blocked}. Runs under
 * the state lock.
 */
public final class Detectors {
    private final FakeState state;
    private final EventStore store;
    private final Services services;
    private final DetectorConfig config;

    Detectors(FakeState state, EventStore store, Services services, DetectorConfig config) {
        this.state = state;
        this.store = store;
        this.services = services;
        this.config = config;
    }

    private AgentService agents() {
        return services.get(AgentService.class);
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    /**
     * A detector signal that fired.
     *
     * @param signal the detector
     * @param severity {@code info}, {@code warning} or {@code critical}
     * @param message message
     * @param metadata detector context
     */
    public record Fired(Signal signal, String severity, String message, ObjectNode metadata) {}

    /**
     * credential_outside_scope for a service.
     *
     * @param p passport
     * @param service the service asked for
     * @param severity severity
     * @return the signal
     */
    public static Fired outsideScope(Passport p, String service, String severity) {
        ObjectNode m = Json.object();
        m.put("service", service);
        m.set("intent_services", Json.strings(p.intentServices));
        m.set(
                "granted_providers",
                Json.strings(p.services.stream().map(ServiceScope::provider).toList()));
        return new Fired(
                Signal.CREDENTIAL_OUTSIDE_SCOPE,
                severity,
                "request for " + service + " outside the passport's scope",
                m);
    }

    /**
     * post_checkout_access: a checked-out passport was presented.
     *
     * @param p passport
     * @param trace request id or null
     */
    public void postCheckout(Passport p, @Nullable String trace) {
        ObjectNode m = Json.object();
        m.put("jti", p.jti);
        m.put("checked_out_at", Wire.iso(Objects.requireNonNull(p.checkedOutAt)));
        m.put("endpoint", trace == null ? "" : "request " + trace);
        applySignals(
                p,
                agents().find(p.agentId),
                List.of(new Fired(Signal.POST_CHECKOUT_ACCESS, "critical", "access after checkout", m)),
                trace);
    }

    /**
     * Records events for fired signals; blocks (once) when any says so: revokes the passport and blocks the agent.
     *
     * @param p passport
     * @param a its agent, or null
     * @param fired signals
     * @param trace request id or null
     * @return the events raised
     */
    public List<SecurityEvent> applySignals(Passport p, @Nullable Agent a, List<Fired> fired, @Nullable String trace) {
        List<SecurityEvent> out = new ArrayList<>();
        String blockReason = null;
        for (Fired f : fired) {
            DetectorMode mode = config.mode(f.signal());
            if (mode == DetectorMode.OFF) {
                continue;
            }
            boolean block;
            if (mode == DetectorMode.BLOCK) {
                block = true;
            } else if (mode == DetectorMode.ALERT || a == null) {
                block = false;
            } else {
                String agentMode = a.mode;
                if (f.severity().equals("critical") && agentMode.equals("enforced")) {
                    block = true;
                } else if (agentMode.equals("logged") || f.severity().equals("info")) {
                    block = false;
                } else if (f.severity().equals("critical")) {
                    block = a.onCritical.equals("block");
                } else {
                    block = a.onWarning.equals("block");
                }
            }
            if (f.severity().equals("critical")) {
                p.criticals++;
            } else if (f.severity().equals("warning")) {
                p.warnings++;
            }
            SecurityEvent e = new SecurityEvent(
                    Wire.id("sev_"),
                    p.operatorId,
                    p.agentId,
                    p.jti,
                    f.signal().wireName(),
                    f.severity(),
                    f.message(),
                    Json.write(f.metadata()),
                    block ? "blocked" : "notified",
                    false,
                    state.now());
            store.events.add(e);
            ObjectNode d = Json.object();
            d.put("security_event_id", e.id());
            d.put("signal_type", e.signalType());
            d.put("severity", e.severity());
            d.put("action", e.action());
            audit().append(p.operatorId, p.agentId, p.jti, "security.event", block ? "blocked" : "success", trace, d);
            out.add(e);
            if (block && blockReason == null) {
                blockReason = f.signal().wireName() + "_fire: " + f.message();
            }
        }
        if (blockReason != null) {
            services.get(PassportRevocation.class).revokeAndPublish(p, blockReason, trace);
            if (a != null) {
                a.passportBlocked = true;
            }
        }
        return out;
    }

    private @Nullable Fired burst(Passport p, Agent a) {
        Instant now = state.now();
        a.counted.add(now);
        Duration window = config.window();
        Duration lookback = config.lookback();
        Instant windowStart = now.minus(window);
        Instant baseStart = windowStart.minus(lookback);
        a.counted.removeIf(t -> !t.isAfter(baseStart));
        long c = a.counted.stream().filter(t -> t.isAfter(windowStart)).count();
        double b;
        if (a.seededBaseline != null) {
            b = a.seededBaseline;
        } else {
            long before =
                    a.counted.stream().filter(t -> !t.isAfter(windowStart)).count();
            b = before / ((double) lookback.toMillis() / window.toMillis());
        }
        if (p.burstFired || c < config.minimum() || c < config.multiplier() * b) {
            return null;
        }
        p.burstFired = true;
        ObjectNode m = Json.object();
        m.put("credential_count", c);
        m.put("time_window_seconds", window.toSeconds());
        m.put("baseline_per_window", b);
        m.put("multiplier", config.multiplier());
        return new Fired(
                Signal.CREDENTIAL_BURST, "warning", c + " credential requests in " + window.toSeconds() + "s", m);
    }

    /**
     * Refuses a service outside the passport's scope: raises credential_outside_scope (and scope_drift once),
     * audits the refusal and throws 403.
     *
     * @param operatorId operator
     * @param p passport
     * @param service the service asked for
     * @param action the audit action
     * @param trace request id
     */
    public void denyOutsideScope(String operatorId, Passport p, String service, String action, String trace) {
        List<Fired> fired = new ArrayList<>();
        fired.add(outsideScope(p, service, p.mode.equals("logged") ? "warning" : "critical"));
        if (!p.driftFired) {
            p.driftFired = true;
            ObjectNode m = Json.object();
            m.put("service", service);
            m.put("novelty", 1.0);
            fired.add(new Fired(Signal.SCOPE_DRIFT, "warning", "first request outside scope: " + service, m));
        }
        applySignals(p, agents().find(p.agentId), fired, trace);
        ObjectNode d = Json.object();
        d.put("service", service);
        audit().append(operatorId, p.agentId, p.jti, action, "blocked", trace, d, "FORBIDDEN", null, null, null);
        ObjectNode det = Json.object();
        det.put("reason", "credential_outside_scope");
        det.put("service", service);
        throw new ApiError(403, "FORBIDDEN", "Service " + service + " is outside the passport's scope", det);
    }

    /**
     * Counts a credential request for credential_burst; throws PASSPORT_REVOKED if it blocks.
     *
     * @param p passport
     * @param trace request id
     */
    public void countAndDetect(Passport p, String trace) {
        Agent a = agents().find(p.agentId);
        if (a == null) {
            return;
        }
        Fired f = config.mode(Signal.CREDENTIAL_BURST) == DetectorMode.OFF ? null : burst(p, a);
        if (f != null) {
            List<SecurityEvent> raised = applySignals(p, a, List.of(f), trace);
            if (raised.stream().anyMatch(e -> e.action().equals("blocked"))) {
                throw PassportChecks.revokedError(p);
            }
        }
    }
}

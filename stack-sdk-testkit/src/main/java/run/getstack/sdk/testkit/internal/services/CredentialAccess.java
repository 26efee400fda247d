package run.getstack.sdk.testkit.internal.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.events.Detectors;
import run.getstack.sdk.testkit.internal.missions.MissionCaps;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.MemberPrincipal;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Credentials (wire protocol §4.2, §4.3): which connection a call may use under its
 * passport, shared by credentials, leases and the proxy. Runs under the state lock.
 */
public final class CredentialAccess {
    /**
     * A resolved credential request.
     *
     * @param passport the presented passport, or null
     * @param connection the connection
     */
    public record Resolved(@Nullable Passport passport, Connection connection) {}

    private final Services services;
    private final ConnectionService connections;

    CredentialAccess(Services services, ConnectionService connections) {
        this.services = services;
        this.connections = connections;
    }

    /**
     * Wire protocol §4.3: the connection a credential, lease or proxy call asks for, and the passport it presents
     * (checked per §3.12; a service outside its scope raises detector signals and is refused).
     *
     * @param call the call
     * @param provider provider slug, or null when {@code connId} is given
     * @param connId connection id, or null
     * @param passportRequired whether {@code X-Passport-Token} must be sent
     * @param action the audit action of a refusal
     * @param checkProxyOnly whether a {@code proxy_only} agent is refused
     * @return the passport (null without a token) and the connection
     */
    public Resolved resolve(
            Call call,
            @Nullable String provider,
            @Nullable String connId,
            boolean passportRequired,
            String action,
            boolean checkProxyOnly) {
        String opId = call.operatorId();
        String trace = call.requestId();
        String token = call.header("x-passport-token");
        if (token == null && passportRequired) {
            throw ApiError.reason(400, "INVALID_REQUEST", "X-Passport-Token is required", "passport_required");
        }
        Passport p = token == null ? null : services.get(PassportChecks.class).present(opId, token, true, trace);
        Connection conn;
        String wanted;
        if (connId != null) {
            conn = connections.find(connId);
            if (conn == null || !conn.operatorId.equals(opId)) {
                throw ApiError.notFound("Service connection");
            }
            wanted = conn.service.provider();
        } else {
            wanted = Objects.requireNonNull(provider);
            conn = null;
        }
        if (p != null) {
            Set<String> s = new HashSet<>(p.intentServices);
            p.services.forEach(x -> s.add(x.provider()));
            if (!s.contains(wanted)) {
                services.get(Detectors.class).denyOutsideScope(opId, p, wanted, action, trace);
            }
        }
        MemberPrincipal member = call.member();
        if (conn == null) {
            List<Connection> candidates = connections.ofProvider(opId, wanted);
            if (candidates.isEmpty()) {
                throw ApiError.notFound("Connected service " + wanted);
            }
            if (member != null) { // §1.4: a member reaches only its allowed_connections
                candidates =
                        candidates.stream().filter(c -> member.mayUse(c.id)).toList();
                if (candidates.isEmpty()) {
                    throw memberRefused();
                }
            }
            if (p != null) {
                Passport pp = p;
                candidates = candidates.stream()
                        .filter(c -> pp.containsConnection(c.id))
                        .toList();
                if (candidates.isEmpty()) {
                    throw ApiError.reason(403, "FORBIDDEN", "Service not granted in this passport", "not_granted");
                }
            }
            if (candidates.size() > 1) {
                throw ApiError.reason(
                        409,
                        "CONFLICT",
                        "Several connections for " + wanted + "; use by-connection",
                        "ambiguous_provider");
            }
            conn = candidates.get(0);
        } else {
            if (member != null && !member.mayUse(conn.id)) {
                throw memberRefused();
            }
            if (p != null && !p.containsConnection(conn.id)) {
                throw ApiError.reason(403, "FORBIDDEN", "Service not granted in this passport", "not_granted");
            }
        }
        if (checkProxyOnly && p != null) {
            Agent a = services.get(AgentService.class).find(p.agentId);
            if (a != null && a.credentialAccess.equals("proxy_only")) {
                throw ApiError.reason(
                        403, "FORBIDDEN", "Agent may use credentials only through the proxy", "proxy_only");
            }
        }
        return new Resolved(p, conn);
    }

    private static ApiError memberRefused() {
        return ApiError.reason(
                403, "FORBIDDEN", "This member may not use that service connection", "connection_not_allowed");
    }

    EngineResponse credential(Call call, @Nullable String provider, @Nullable String connId) {
        String trace = call.requestId();
        Resolved r = resolve(call, provider, connId, false, "credential.retrieve", true);
        Passport p = r.passport();
        if (p != null) {
            // wire protocol §10.4.5: a credential fetch is one action of the mission
            services.get(MissionCaps.class)
                    .countAction(p.missionId, r.connection().service.provider(), trace);
            services.get(Detectors.class).countAndDetect(p, trace);
        }
        ObjectNode secret = connections.openSecret(r.connection());
        ObjectNode o = Json.object();
        o.put("provider", r.connection().service.provider());
        o.setAll(secret);
        ObjectNode d = Json.object();
        d.put("service_connection_id", r.connection().id);
        services.get(AuditService.class)
                .append(
                        call.operatorId(),
                        p == null ? null : p.agentId,
                        p == null ? null : p.jti,
                        "credential.retrieve",
                        "success",
                        trace,
                        d);
        return EngineResponse.secret(200, o);
    }
}

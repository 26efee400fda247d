package run.getstack.sdk.testkit.internal.leases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.events.Detectors;
import run.getstack.sdk.testkit.internal.missions.MissionCaps;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.services.ConnectionService;
import run.getstack.sdk.testkit.internal.services.CredentialAccess;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Credential leases (wire protocol §5, [Extension]): grant, renew, release, and the
 * ends other modules cause (a revoked or checked-out passport, a disconnected service). Runs under the state lock.
 */
public final class LeaseService {
    private final FakeState state;
    private final LeaseStore store;
    private final Services services;

    LeaseService(FakeState state, LeaseStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    /**
     * Ends a passport's active leases.
     *
     * @param jti passport
     * @param to {@link LeaseState#REVOKED} or {@link LeaseState#CHECKED_OUT}
     * @param trace request id or null
     */
    public void endForPassport(String jti, LeaseState to, @Nullable String trace) {
        for (Lease l : store.leases.values()) {
            if (l.jti.equals(jti) && l.state == LeaseState.ACTIVE) {
                endLease(l, to, trace);
            }
        }
    }

    /**
     * Revokes a connection's active leases (it was disconnected).
     *
     * @param connectionId connection
     * @param trace request id
     */
    public void revokeByConnection(String connectionId, String trace) {
        for (Lease l : store.leases.values()) {
            if (l.connectionId.equals(connectionId) && l.state == LeaseState.ACTIVE) {
                endLease(l, LeaseState.REVOKED, trace);
            }
        }
    }

    /**
     * The agent a lease belongs to.
     *
     * @param leaseId lease
     * @return the agent, or null for an unknown lease
     */
    @Nullable
    String agentOf(String leaseId) {
        Lease l = store.leases.get(leaseId);
        return l == null ? null : l.agentId;
    }

    EngineResponse grant(Call call, Body b) {
        String trace = call.requestId();
        String opId = call.operatorId();
        String provider = b.optString("provider", 128);
        String connId = b.optString("service_connection_id", 128);
        Long ttlIn = b.optLong("ttl_seconds", 30, 3600);
        String purpose = b.optString("purpose", 256);
        if ((provider == null) == (connId == null)) {
            throw ApiError.invalid("provider", "send exactly one of provider and service_connection_id");
        }
        if (call.header("x-passport-token") == null) {
            throw ApiError.reason(400, "INVALID_REQUEST", "X-Passport-Token is required", "passport_required");
        }
        CredentialAccess.Resolved r =
                services.get(CredentialAccess.class).resolve(call, provider, connId, true, "credential.lease", true);
        Passport p = Objects.requireNonNull(r.passport());
        // wire protocol §10.4.5: a lease grant is one action of the mission
        services.get(MissionCaps.class)
                .countAction(p.missionId, r.connection().service.provider(), trace);
        Instant now = state.now();
        if (Duration.between(now, p.expiresAt).compareTo(Duration.ofSeconds(1)) < 0) {
            throw PassportChecks.expiredError(p);
        }
        services.get(Detectors.class).countAndDetect(p, trace);
        long ttl = ttlIn == null ? 900 : ttlIn;
        Instant exp = min(now.plusSeconds(ttl), p.expiresAt);
        Instant max = min(now.plusSeconds(4 * ttl), p.expiresAt);
        Lease l = new Lease(
                Wire.newId("lse_", 32),
                opId,
                p.agentId,
                p.jti,
                r.connection().id,
                r.connection().service.provider(),
                now,
                exp,
                max,
                ttl);
        store.leases.put(l.id, l);
        ObjectNode o = leaseJson(l);
        o.setAll(services.get(ConnectionService.class).openSecret(r.connection()));
        ObjectNode d = Json.object();
        d.put("lease_fingerprint", Hashes.fingerprint(l.id));
        d.put("purpose", purpose);
        audit().append(opId, p.agentId, p.jti, "credential.lease", "success", trace, d);
        return EngineResponse.secret(201, o);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private ObjectNode leaseJson(Lease l) {
        ObjectNode o = Json.object();
        o.put("lease_id", l.id);
        o.put("provider", l.provider);
        o.put("service_connection_id", l.connectionId);
        o.put("passport_jti", l.jti);
        o.put("issued_at", Wire.iso(l.issuedAt));
        o.put("expires_at", Wire.iso(l.expiresAt));
        o.put("max_expires_at", Wire.iso(l.maxExpiresAt));
        o.put("renewable", l.expiresAt.isBefore(l.maxExpiresAt));
        o.put(
                "ttl_seconds",
                Math.max(0, Duration.between(state.now(), l.expiresAt).toSeconds()));
        return o;
    }

    EngineResponse renew(Call call, String leaseId, Body b) {
        String trace = call.requestId();
        String opId = call.operatorId();
        Long ttlIn = b.optLong("ttl_seconds", 30, 3600);
        Lease l = store.leases.get(leaseId);
        if (l == null || !l.operatorId.equals(opId) || l.state == LeaseState.RELEASED) {
            throw new ApiError(404, "LEASE_NOT_FOUND", "Lease not found", null);
        }
        String token = call.header("x-passport-token");
        if (token != null) {
            PassportChecks.Checked ch = services.get(PassportChecks.class).checkSignature(token);
            ObjectNode claims = ch.claims();
            if (claims == null) {
                String reason = Objects.requireNonNull(ch.failure());
                throw ApiError.reason(401, "UNAUTHORIZED", "Passport token rejected: " + reason, reason);
            }
            if (!l.agentId.equals(claims.path("sub").asText())) {
                throw ApiError.reason(403, "FORBIDDEN", "Passport is not the lease's agent", "passport_not_yours");
            }
        }
        Passport p = services.get(PassportService.class).find(l.jti);
        if (l.state == LeaseState.CHECKED_OUT || (p != null && p.checkedOutAt != null)) {
            if (p != null) {
                services.get(Detectors.class).postCheckout(p, trace);
            }
            ObjectNode d = Json.object();
            d.put("jti", l.jti);
            throw new ApiError(403, "PASSPORT_CHECKED_OUT", "Passport has been checked out", d);
        }
        if (l.state == LeaseState.REVOKED) {
            ObjectNode d = Json.object();
            d.put("jti", l.jti);
            throw new ApiError(401, "PASSPORT_REVOKED", "Passport has been revoked", d);
        }
        Instant now = state.now();
        if (!now.isBefore(l.expiresAt)) {
            throw new ApiError(410, "LEASE_EXPIRED", "Lease has expired", null);
        }
        long ttl = ttlIn == null ? l.requestedTtl : ttlIn;
        Instant next = min(now.plusSeconds(ttl), l.maxExpiresAt);
        if (next.isAfter(l.expiresAt)) {
            l.expiresAt = next;
        }
        ObjectNode d = Json.object();
        d.put("lease_fingerprint", Hashes.fingerprint(l.id));
        audit().append(opId, l.agentId, l.jti, "credential.lease_renew", "success", trace, d);
        return EngineResponse.json(200, leaseJson(l));
    }

    EngineResponse release(String opId, String leaseId, String trace) {
        Lease l = store.leases.get(leaseId);
        if (l != null
                && l.operatorId.equals(opId)
                && l.state == LeaseState.ACTIVE
                && state.now().isBefore(l.expiresAt)) {
            l.state = LeaseState.RELEASED;
            ObjectNode d = Json.object();
            d.put("lease_fingerprint", Hashes.fingerprint(l.id));
            audit().append(opId, l.agentId, l.jti, "credential.lease_release", "success", trace, d);
        } else if (l != null && l.operatorId.equals(opId)) {
            l.state = l.state == LeaseState.ACTIVE ? LeaseState.RELEASED : l.state;
        }
        return EngineResponse.noContent();
    }

    private void endLease(Lease l, LeaseState to, @Nullable String trace) {
        l.state = to;
        ObjectNode d = Json.object();
        d.put("lease_fingerprint", Hashes.fingerprint(l.id));
        audit().append(l.operatorId, l.agentId, l.jti, "credential.lease_revoke", "success", trace, d);
    }
}

package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.leases.LeaseService;
import run.getstack.sdk.testkit.internal.leases.LeaseState;
import run.getstack.sdk.testkit.internal.revocation.RevocationFeed;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Revoking passports (wire protocol §3.7) and every cascade that ends in it: a revoked
 * passport revokes its descendants and ends its leases ({@link LeaseService}), and each revocation is published on
 * the feed ({@link RevocationFeed}). Other modules call it when an agent is deleted or suspended, a grant removed, a
 * service disconnected or a detector blocks. Runs under the state lock.
 */
public final class PassportRevocation {
    private final FakeState state;
    private final Services services;

    PassportRevocation(FakeState state, Services services) {
        this.state = state;
        this.services = services;
    }

    private PassportService passports() {
        return services.get(PassportService.class);
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    private RevocationFeed feed() {
        return services.get(RevocationFeed.class);
    }

    /**
     * Revokes, as one {@code single} event each, an agent's live passports that carry a connection (its grant was
     * removed).
     *
     * @param operatorId operator
     * @param agentId agent
     * @param connectionId connection
     * @param trace request id
     */
    public void revokeAgentConnection(String operatorId, String agentId, String connectionId, String trace) {
        String reason = "grant_revoked: " + connectionId;
        for (Passport p : List.copyOf(passports().all())) {
            if (p.agentId.equals(agentId) && !p.revoked && p.containsConnection(connectionId)) {
                List<String> jtis = revokeCascade(p, reason, trace);
                feed().emit(operatorId, "single", p.jti, null, null, jtis, reason);
            }
        }
    }

    /**
     * Revokes the operator's live passports that carry a connection (it was disconnected).
     *
     * @param operatorId operator
     * @param connectionId connection
     * @param reason reason
     * @param trace request id
     * @return how many passports were revoked, descendants included
     */
    public int revokeConnection(String operatorId, String connectionId, String reason, String trace) {
        int count = 0;
        for (Passport p : List.copyOf(passports().all())) {
            if (p.operatorId.equals(operatorId) && !p.revoked && p.containsConnection(connectionId)) {
                List<String> jtis = revokeCascade(p, reason, trace);
                count += jtis.size();
                feed().emit(operatorId, "single", p.jti, null, null, jtis, reason);
            }
        }
        return count;
    }

    /**
     * Revokes a passport with its descendants and publishes it as one {@code single} event (a detector block).
     *
     * @param p passport
     * @param reason reason
     * @param trace request id or null
     */
    public void revokeAndPublish(Passport p, String reason, @Nullable String trace) {
        List<String> jtis = revokeCascade(p, reason, trace);
        feed().emit(p.operatorId, "single", p.jti, null, null, jtis, reason);
    }

    /**
     * Revokes p (if live) and its descendants, ending their leases; publishes nothing.
     *
     * @param root passport
     * @param reason reason
     * @param trace request id or null
     * @return every newly revoked jti, root first
     */
    public List<String> revokeCascade(Passport root, String reason, @Nullable String trace) {
        List<String> out = new ArrayList<>();
        if (!root.revoked) {
            markRevoked(root, reason, trace, "passport.revoke");
            out.add(root.jti);
        }
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root.jti);
        Set<String> seen = new HashSet<>();
        seen.add(root.jti);
        while (!queue.isEmpty()) {
            String parent = queue.poll();
            for (Passport child : passports().all()) {
                if (parent.equals(child.parentJti) && seen.add(child.jti)) {
                    if (!child.revoked) {
                        markRevoked(child, reason, trace, "passport.revoke_cascade");
                        out.add(child.jti);
                    }
                    queue.add(child.jti);
                }
            }
        }
        return out;
    }

    private void markRevoked(Passport p, String reason, @Nullable String trace, String action) {
        p.revoked = true;
        p.revokedReason = reason;
        p.revokedAt = state.now();
        ObjectNode d = Json.object();
        d.put("reason", reason);
        audit().append(p.operatorId, p.agentId, p.jti, action, "success", trace, d);
        services.get(LeaseService.class).endForPassport(p.jti, LeaseState.REVOKED, trace);
    }

    private static String reasonOf(Body b) {
        String r = b.optString("reason", 500);
        return r == null ? "unspecified" : r;
    }

    ObjectNode revokeOne(String operatorId, String jti, Body b, String trace) {
        String reason = reasonOf(b);
        Passport p = passports().own(operatorId, jti);
        List<String> jtis = List.of();
        if (!p.revoked) {
            jtis = revokeCascade(p, reason, trace);
            feed().emit(operatorId, "single", p.jti, null, null, jtis, reason);
        }
        ObjectNode o = Json.object();
        o.put("jti", jti);
        o.put("revoked", true);
        o.set("cascaded", Json.strings(jtis.isEmpty() ? List.of() : jtis.subList(1, jtis.size())));
        return o;
    }

    /**
     * Revokes every live passport of an agent (and their descendants) as one {@code bulk_agent} event.
     *
     * @param operatorId operator
     * @param agentId agent
     * @param reason reason
     * @param trace request id or null
     * @return {direct, cascaded}
     */
    public int[] revokeAgentPassports(String operatorId, String agentId, String reason, @Nullable String trace) {
        int direct = 0;
        List<String> all = new ArrayList<>();
        for (Passport p : List.copyOf(passports().all())) {
            if (p.agentId.equals(agentId) && !p.revoked) {
                List<String> jtis = revokeCascade(p, reason, trace);
                direct++;
                all.addAll(jtis);
            }
        }
        feed().emit(operatorId, "bulk_agent", null, agentId, null, all, reason);
        return new int[] {direct, all.size() - direct};
    }

    ObjectNode revokeAgentEndpoint(String operatorId, Body b, String trace) {
        String agentId = b.reqString("agent_id", 128);
        String reason = reasonOf(b);
        Agent a = services.get(AgentService.class).own(operatorId, agentId);
        int[] c = revokeAgentPassports(operatorId, a.id, reason, trace);
        ObjectNode o = Json.object();
        o.put("agent_id", a.id);
        o.put("revoked_count", c[0]);
        o.put("cascaded_count", c[1]);
        return o;
    }

    ObjectNode revokeSession(String operatorId, Body b, String trace) {
        String sessionId = b.reqString("session_id", 128);
        String reason = reasonOf(b);
        List<String> jtis = new ArrayList<>();
        for (Passport p : passports().all()) {
            if (p.operatorId.equals(operatorId) && p.sessionId.equals(sessionId) && !p.revoked) {
                markRevoked(p, reason, trace, "passport.revoke");
                jtis.add(p.jti);
            }
        }
        feed().emit(operatorId, "bulk_session", null, null, sessionId, jtis, reason);
        ObjectNode o = Json.object();
        o.put("session_id", sessionId);
        o.put("revoked_count", jtis.size());
        return o;
    }

    ObjectNode revokeAll(String operatorId, Body b, String trace) {
        Boolean confirm = b.optBool("confirm");
        if (confirm == null || !confirm) {
            throw ApiError.invalid("confirm", "must be true");
        }
        String reason = reasonOf(b);
        List<String> jtis = new ArrayList<>();
        for (Passport p : passports().all()) {
            if (p.operatorId.equals(operatorId) && !p.revoked) {
                markRevoked(p, reason, trace, "passport.revoke");
                jtis.add(p.jti);
            }
        }
        feed().emit(operatorId, "bulk_operator", null, null, null, jtis, reason);
        ObjectNode o = Json.object();
        o.put("revoked_count", jtis.size());
        return o;
    }
}

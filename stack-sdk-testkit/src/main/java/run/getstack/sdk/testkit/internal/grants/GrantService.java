package run.getstack.sdk.testkit.internal.grants;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.intents.GovernanceService;
import run.getstack.sdk.testkit.internal.passports.PassportRevocation;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.services.Connection;
import run.getstack.sdk.testkit.internal.services.ConnectionService;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Grants (wire protocol §2.5). Deleting a grant revokes the agent's passports that
 * carry the connection, through {@link PassportRevocation}. Runs under the state lock.
 */
public final class GrantService {
    private final FakeState state;
    private final GrantStore store;
    private final Services services;

    GrantService(FakeState state, GrantStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    /**
     * An agent's grants in grant order.
     *
     * @param agentId agent
     * @return grants
     */
    public Collection<Grant> grantsOf(String agentId) {
        return store.grants.getOrDefault(agentId, Map.of()).values();
    }

    /**
     * The connections an agent holds grants on.
     *
     * @param agentId agent
     * @return connection ids
     */
    public List<String> connectionIds(String agentId) {
        return List.copyOf(store.grants.getOrDefault(agentId, Map.of()).keySet());
    }

    /**
     * Drops an agent's grants (the agent is deleted).
     *
     * @param agentId agent
     */
    public void removeAgent(String agentId) {
        store.grants.remove(agentId);
    }

    /**
     * Drops every grant on a connection (it is disconnected).
     *
     * @param connectionId connection
     */
    public void removeConnection(String connectionId) {
        for (Map<String, Grant> g : store.grants.values()) {
            g.remove(connectionId);
        }
    }

    /**
     * Grants directly (seeding).
     *
     * @param agentId agent
     * @param connectionId connection
     * @param scopes scopes
     * @param constraints constraint objects (validated here)
     */
    public void seed(String agentId, String connectionId, List<String> scopes, List<ObjectNode> constraints) {
        state.locked(() -> {
            Agent a = services.get(AgentService.class).require(agentId);
            Connection c = services.get(ConnectionService.class).find(connectionId);
            if (c == null || !c.operatorId.equals(a.operatorId)) {
                throw new IllegalArgumentException("unknown connection: " + connectionId);
            }
            ArrayNode arr = Json.MAPPER.createArrayNode();
            constraints.forEach(arr::add);
            ObjectNode holder = Json.object();
            holder.set("constraints", arr);
            List<ObjectNode> normalized = Constraints.parse(Body.of(holder, ""));
            store.grants
                    .computeIfAbsent(agentId, k -> new LinkedHashMap<>())
                    .put(
                            connectionId,
                            new Grant(agentId, connectionId, c.service.provider(), scopes, normalized, state.now()));
        });
    }

    EngineResponse create(Call call, String operatorId, Agent a, Body b, String trace) {
        String connId = b.reqString("service_connection_id", 128);
        List<String> scopes = b.reqStrings("scopes", 1, 100, 256);
        List<ObjectNode> constraints = Constraints.parse(b);
        Connection c = services.get(ConnectionService.class).find(connId);
        if (c == null || !c.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Service connection");
        }
        Grant before = store.grants.getOrDefault(a.id, Map.of()).get(connId);
        if (before == null || !before.scopes().containsAll(scopes) || !constraints.containsAll(before.constraints())) {
            // a new grant or any expansion loosens: it may need a person's approval (§14.4); narrowing applies
            services.get(GovernanceService.class)
                    .gate(
                            call,
                            operatorId,
                            "grant.expand",
                            "Grant agent " + a.name + " " + scopes + " on " + c.service.provider());
        }
        Map<String, Grant> g = store.grants.computeIfAbsent(a.id, k -> new LinkedHashMap<>());
        boolean replaced = g.containsKey(connId);
        Grant grant = new Grant(a.id, connId, c.service.provider(), List.copyOf(scopes), constraints, state.now());
        g.put(connId, grant);
        services.get(AuditService.class).append(operatorId, a.id, null, "grant.create", "success", trace, null);
        ObjectNode o = Json.object();
        o.put("agent_id", a.id);
        o.put("service_connection_id", connId);
        o.put("provider", grant.provider());
        o.set("scopes", Json.strings(grant.scopes()));
        ArrayNode gc = o.putArray("constraints");
        grant.constraints().forEach(gc::add);
        o.put("created_at", Wire.iso(grant.createdAt()));
        return EngineResponse.json(replaced ? 200 : 201, o);
    }

    EngineResponse delete(String operatorId, Agent a, String connId, String trace) {
        Map<String, Grant> g = store.grants.get(a.id);
        if (g != null && g.remove(connId) != null) {
            services.get(AuditService.class).append(operatorId, a.id, null, "grant.delete", "success", trace, null);
            services.get(PassportRevocation.class).revokeAgentConnection(operatorId, a.id, connId, trace);
        }
        return EngineResponse.noContent();
    }
}

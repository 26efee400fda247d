package run.getstack.sdk.testkit.internal.agents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.intents.GovernanceService;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Agents (wire protocol §2.2). */
public final class AgentsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        AgentStore store = ctx.state().register(new AgentStore());
        AgentService agents =
                ctx.services().provide(AgentService.class, new AgentService(ctx.state(), store, ctx.services()));
        ctx.routes(
                Route.post("/v1/agents/register")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> EngineResponse.json(
                                201,
                                agents.json(agents.register(call.operatorId(), call.body(false), call.requestId())))),
                Route.get("/v1/agents")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> EngineResponse.json(200, list(agents, call))),
                Route.get("/v1/agents/{id}")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentsModule::self))
                        .handler(call -> EngineResponse.json(200, agents.json(own(agents, call)))),
                Route.patch("/v1/agents/{id}")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> {
                            Agent a = own(agents, call);
                            agents.patch(call.operatorId(), a, call.body(false), call.requestId());
                            return EngineResponse.json(200, agents.json(a));
                        }),
                Route.delete("/v1/agents/{id}")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> EngineResponse.json(
                                200, agents.delete(call.operatorId(), own(agents, call), call.requestId()))),
                Route.post("/v1/agents/{id}/unblock")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> {
                            Agent a = own(agents, call);
                            call.body(true);
                            boolean wasBlocked = a.passportBlocked;
                            if (wasBlocked) { // loosening: may need a person's approval (§14.4)
                                ctx.services()
                                        .get(GovernanceService.class)
                                        .gate(call, call.operatorId(), "agent.unblock", "Unblock agent " + a.name);
                            }
                            agents.unblock(call.operatorId(), a, call.requestId());
                            return EngineResponse.json(200, agents.json(a).put("was_blocked", wasBlocked));
                        }));
    }

    /** Largest {@code limit} of {@code GET /v1/agents} (§13.2). */
    static final int MAX_LIMIT = 500;

    /** Default {@code limit} when only {@code page} is sent. */
    static final int DEFAULT_LIMIT = 100;

    /**
     * The whole list, or with {@code page} or {@code limit} one page of it (oldest first), echoing both; the last
     * page has fewer than {@code limit} agents (possibly none), as STACK's own page/limit lists do.
     */
    private static ObjectNode list(AgentService agents, Call call) {
        Map<String, String> q = call.query();
        List<Agent> all = agents.list(call.operatorId());
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("agents");
        if (!q.containsKey("page") && !q.containsKey("limit")) {
            all.forEach(a -> arr.add(agents.json(a)));
            return root;
        }
        long page = Wire.queryLong(q, "page", 1, 1, Integer.MAX_VALUE);
        long limit = Wire.queryLong(q, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long from = (page - 1) * limit;
        for (long i = from; i < Math.min(all.size(), from + limit); i++) {
            arr.add(agents.json(all.get((int) i)));
        }
        root.put("page", page);
        root.put("limit", limit);
        return root;
    }

    private static Agent own(AgentService agents, Call call) {
        return agents.own(call.operatorId(), call.param(0));
    }

    /** An agent may read only its own object. */
    private static Call self(Call call, String agentId) {
        if (!call.param(0).equals(agentId)) {
            throw ApiError.reason(403, "FORBIDDEN", "Not allowed for an agent principal", "agent_principal");
        }
        return call;
    }
}

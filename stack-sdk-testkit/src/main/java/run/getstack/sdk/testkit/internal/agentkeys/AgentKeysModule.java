package run.getstack.sdk.testkit.internal.agentkeys;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;
import run.getstack.sdk.testkit.internal.state.Services;

/** Internal, not for public use. Agent-key enrollment (wire protocol §2.2, §2.3). */
public final class AgentKeysModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        ChallengeStore store = ctx.state().register(new ChallengeStore());
        AgentKeyService keys =
                ctx.services().provide(AgentKeyService.class, new AgentKeyService(ctx.state(), store, ctx.services()));
        Services services = ctx.services();
        ctx.routes(
                Route.post("/v1/agents/{id}/enrollment-challenge")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> {
                            AgentService agents = services.get(AgentService.class);
                            Agent a = agents.own(call.operatorId(), call.param(0));
                            call.body(true);
                            return EngineResponse.secret(201, keys.challenge(a));
                        }),
                Route.post("/v1/agents/{id}/enroll")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> {
                            AgentService agents = services.get(AgentService.class);
                            Agent a = agents.own(call.operatorId(), call.param(0));
                            keys.enroll(call.operatorId(), a, call.body(false), call.requestId());
                            return EngineResponse.json(200, agents.json(a));
                        }));
    }
}

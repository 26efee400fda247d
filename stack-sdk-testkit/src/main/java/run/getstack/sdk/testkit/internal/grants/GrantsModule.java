package run.getstack.sdk.testkit.internal.grants;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;
import run.getstack.sdk.testkit.internal.state.Services;

/** Internal, not for public use. Grants (wire protocol §2.5; STACK's live tool {@code stack_grant_agent_access}). */
public final class GrantsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        GrantStore store = ctx.state().register(new GrantStore());
        GrantService grants =
                ctx.services().provide(GrantService.class, new GrantService(ctx.state(), store, ctx.services()));
        Services services = ctx.services();
        ctx.routes(
                Route.post("/v1/agents/{id}/grants")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> grants.create(
                                call,
                                call.operatorId(),
                                services.get(AgentService.class).own(call.operatorId(), call.param(0)),
                                call.body(false),
                                call.requestId())),
                Route.delete("/v1/agents/{id}/grants/{connection}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> grants.delete(
                                call.operatorId(),
                                services.get(AgentService.class).own(call.operatorId(), call.param(0)),
                                call.param(1),
                                call.requestId())));
    }
}

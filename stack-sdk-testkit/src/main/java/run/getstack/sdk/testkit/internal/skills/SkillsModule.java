package run.getstack.sdk.testkit.internal.skills;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. The skills resource, buyer side (wire protocol §10.3, {@link RouteOrigin#EXTENSION}
 * paths: STACK documents only its SDKs' method names). The invoke route locks itself: the handler runs outside the
 * state lock.
 */
public final class SkillsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        SkillService skills = ctx.services()
                .provide(
                        SkillService.class,
                        new SkillService(ctx.state(), ctx.state().register(new SkillStore()), ctx.services()));
        Access read = Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED);
        ctx.routes(
                Route.get("/v1/skills")
                        .origin(RouteOrigin.EXTENSION)
                        .access(read)
                        .handler(call -> EngineResponse.json(200, skills.list(call.query()))),
                Route.get("/v1/skills/{id}")
                        .origin(RouteOrigin.EXTENSION)
                        .access(read)
                        .handler(call -> EngineResponse.json(200, skills.get(call.param(0)))),
                Route.post("/v1/skills/{id}/invoke")
                        .origin(RouteOrigin.EXTENSION)
                        .access(Access.operator(MemberRole.STANDARD).orAgent(AgentRule.ALLOWED))
                        .locksItself()
                        .handler(call -> EngineResponse.json(202, skills.invoke(call))),
                Route.get("/v1/skills/invocations/{invocation_id}")
                        .origin(RouteOrigin.EXTENSION)
                        .access(read)
                        .handler(call -> EngineResponse.json(
                                200, skills.invocation(call.operatorId(), call.agentId(), call.param(0)))));
    }
}

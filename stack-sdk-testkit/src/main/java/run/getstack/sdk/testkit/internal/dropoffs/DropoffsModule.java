package run.getstack.sdk.testkit.internal.dropoffs;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. The drop-offs resource (wire protocol §10.1): create, deposit and collect at STACK's
 * documented paths ({@link RouteOrigin#STACK_V1}, with the fields of STACK's live {@code stack_create_dropoff}, {@code
 * stack_deposit} and {@code stack_collect}), expire at the path inferred from {@code stack_expire_dropoff} and the list at
 * the path inferred from {@code stack_list_dropoffs} ({@link RouteOrigin#STACK_LIVE_INFERRED}), and the status read ({@link RouteOrigin#EXTENSION}). Agents act only as the
 * sender or a recipient; the service checks which.
 */
public final class DropoffsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        DropoffService dropoffs = ctx.services()
                .provide(
                        DropoffService.class,
                        new DropoffService(ctx.state(), ctx.state().register(new DropoffStore()), ctx.services()));
        Access standard = Access.operator(MemberRole.STANDARD).orAgent(AgentRule.ALLOWED);
        ctx.routes(
                Route.post("/v1/dropoffs")
                        .origin(RouteOrigin.STACK_V1)
                        .access(standard)
                        .handler(call -> EngineResponse.json(201, dropoffs.create(call, call.body(false)))),
                Route.post("/v1/dropoffs/{id}/deposit")
                        .origin(RouteOrigin.STACK_V1)
                        .access(standard)
                        .handler(call ->
                                EngineResponse.json(200, dropoffs.deposit(call, call.param(0), call.body(false)))),
                Route.post("/v1/dropoffs/{id}/collect")
                        .origin(RouteOrigin.STACK_V1)
                        .access(standard)
                        .handler(call ->
                                EngineResponse.secret(200, dropoffs.collect(call, call.param(0), call.body(true)))),
                Route.post("/v1/dropoffs/{id}/expire")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard)
                        .handler(call -> EngineResponse.json(200, dropoffs.expire(call, call.param(0)))),
                Route.get("/v1/dropoffs")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(200, dropoffs.list(call))),
                Route.get("/v1/dropoffs/{id}")
                        .origin(RouteOrigin.EXTENSION)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(200, dropoffs.status(call, call.param(0)))));
    }
}

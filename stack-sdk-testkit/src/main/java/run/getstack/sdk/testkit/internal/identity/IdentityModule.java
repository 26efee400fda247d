package run.getstack.sdk.testkit.internal.identity;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. The identity resource (wire protocol §10.2): the providers at STACK's documented path,
 * the live tools' claims and verification sessions at inferred paths, and the Python SDK's explicit completion
 * ({@link RouteOrigin#EXTENSION} path).
 */
public final class IdentityModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        IdentityService identity = ctx.services()
                .provide(
                        IdentityService.class,
                        new IdentityService(ctx.state(), ctx.state().register(new IdentityStore()), ctx.services()));
        Access read = Access.operator(MemberRole.READ);
        Access standard = Access.operator(MemberRole.STANDARD);
        ctx.routes(
                Route.get("/v1/identity/providers")
                        .origin(RouteOrigin.STACK_V1)
                        .access(read.orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(200, IdentityService.providers())),
                Route.get("/v1/identity/claims")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(read)
                        .handler(call -> EngineResponse.json(200, identity.listClaims(call.operatorId()))),
                Route.delete("/v1/identity/claims/{claim_id}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard)
                        .handler(call -> EngineResponse.json(
                                200, identity.revokeClaim(call.operatorId(), call.param(0), call.requestId()))),
                Route.post("/v1/identity/verifications")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard)
                        .handler(call -> EngineResponse.json(
                                201, identity.start(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/identity/verifications/complete")
                        .origin(RouteOrigin.EXTENSION)
                        .access(standard)
                        .handler(call -> EngineResponse.json(
                                200, identity.complete(call.operatorId(), call.body(false), call.requestId()))),
                Route.get("/v1/identity/verifications/{session_id}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(read)
                        .handler(call -> EngineResponse.json(
                                200, identity.sessionJson(identity.ownSession(call.operatorId(), call.param(0))))));
    }
}

package run.getstack.sdk.testkit.internal.passports;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.ModuleContext;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Passports (wire protocol §3). STACK's REST pages document issue, verify,
 * checkpoint and checkout; refresh, delegate, the revocations and the active list are operations of STACK's live
 * tools ({@code stack_refresh_passport}, ...) at paths this project inferred.
 */
public final class PassportsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        FakeState state = ctx.state();
        Services services = ctx.services();
        PassportStore store = state.register(new PassportStore());
        PassportService passports = services.provide(
                PassportService.class,
                new PassportService(state, store, services, ctx.config().issuer()));
        PassportChecks checks = services.provide(PassportChecks.class, new PassportChecks(state, services));
        PassportRevocation revocation =
                services.provide(PassportRevocation.class, new PassportRevocation(state, services));
        PassportLifecycle lifecycle = new PassportLifecycle(state, services);
        Access standard = Access.operator(MemberRole.STANDARD);
        Access ownPassport = standard.orAgent(PassportRules.pathPassportIsOwn(passports));
        ctx.routes(
                Route.post("/v1/passports/issue")
                        .origin(RouteOrigin.STACK_V1)
                        .access(standard.orAgent(PassportRules.BODY_AGENT_IS_SELF))
                        .handler(call -> EngineResponse.secret(
                                201, passports.issue(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/passports/verify")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.open())
                        .handler(call -> EngineResponse.json(200, checks.verify(call.body(false)))),
                Route.post("/v1/passports/refresh")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(PassportRules.bodyTokenIsOwn("token")))
                        .handler(call -> EngineResponse.secret(
                                201, passports.refresh(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/passports/delegate")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(PassportRules.bodyTokenIsOwn("parent_token")))
                        .handler(call -> EngineResponse.secret(
                                201, passports.delegate(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/passports/revoke-agent")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(PassportRules.BODY_AGENT_IS_SELF))
                        .handler(call -> EngineResponse.json(
                                200,
                                revocation.revokeAgentEndpoint(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/passports/revoke-session")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard)
                        .handler(call -> EngineResponse.json(
                                200, revocation.revokeSession(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/passports/revoke-all")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.ADMIN))
                        .handler(call -> EngineResponse.json(
                                200, revocation.revokeAll(call.operatorId(), call.body(false), call.requestId()))),
                Route.get("/v1/passports/active")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ).orAgent(PassportRules.ONLY_OWN_LISTED))
                        .handler(call -> EngineResponse.json(200, lifecycle.active(call.operatorId(), call.query()))),
                Route.post("/v1/passports/{jti}/revoke")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(ownPassport)
                        .handler(call -> EngineResponse.json(
                                200,
                                revocation.revokeOne(
                                        call.operatorId(), call.param(0), call.body(true), call.requestId()))),
                Route.post("/v1/passports/{jti}/checkpoint")
                        .origin(RouteOrigin.STACK_V1)
                        .access(ownPassport)
                        .handler(call -> lifecycle.checkpoint(
                                call.operatorId(), call.param(0), call.body(false), call.requestId())),
                Route.post("/v1/passports/{jti}/checkout")
                        .origin(RouteOrigin.STACK_V1)
                        .access(ownPassport)
                        .handler(call -> EngineResponse.json(
                                200,
                                lifecycle.checkout(
                                        call.operatorId(), call.param(0), call.body(false), call.requestId()))));
    }
}

package run.getstack.sdk.testkit.internal.intents;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.passports.PassportRules;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. Intent and governance approvals (wire protocol §14): STACK's live tools at inferred
 * paths ({@link RouteOrigin#STACK_LIVE_INFERRED}, kept in "STACK v1 only" mode).
 */
public final class IntentsModule implements FakeModule {
    /** An agent never decides an intent, its own or another's. */
    private static final AgentRule NO_AGENT_DECISIONS = (call, agentId) -> {
        throw ApiError.reason(
                403, "FORBIDDEN", "An agent cannot decide an intent; the owner does", "agent_cannot_decide");
    };

    @Override
    public void install(ModuleContext ctx) {
        IntentStore store = ctx.state().register(new IntentStore());
        IntentService intents =
                ctx.services().provide(IntentService.class, new IntentService(ctx.state(), store, ctx.services()));
        GovernanceService governance = ctx.services()
                .provide(GovernanceService.class, new GovernanceService(ctx.state(), store, ctx.services()));
        ctx.routes(
                Route.post("/v1/intents")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.STANDARD).orAgent(PassportRules.HEADER_TOKEN_IS_OWN))
                        .handler(call -> {
                            String token = call.header("x-passport-token");
                            if (token == null) {
                                throw ApiError.reason(
                                        400, "INVALID_REQUEST", "X-Passport-Token is required", "passport_required");
                            }
                            var p = ctx.services()
                                    .get(PassportChecks.class)
                                    .present(call.operatorId(), token, true, call.requestId());
                            return EngineResponse.json(
                                    201, intents.submit(call.operatorId(), p, call.body(false), call.requestId()));
                        }),
                Route.get("/v1/intent-approvals/{id}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(
                                200,
                                intents.get(
                                        call.operatorId(),
                                        call.agentId(),
                                        call.param(0),
                                        "true".equals(call.query().get("review"))))),
                Route.post("/v1/intent-approvals/{id}/decide")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.STANDARD).orAgent(NO_AGENT_DECISIONS))
                        .handler(call -> EngineResponse.json(
                                200,
                                intents.decideEndpoint(
                                        call.operatorId(), call.param(0), call.body(false), call.requestId()))),
                Route.get("/v1/approvals")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> EngineResponse.json(200, governance.list(call.operatorId(), call.query()))),
                Route.get("/v1/approvals/{id}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> EngineResponse.json(200, governance.get(call.operatorId(), call.param(0)))));
    }
}

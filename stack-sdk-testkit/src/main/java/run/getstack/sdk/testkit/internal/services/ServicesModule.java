package run.getstack.sdk.testkit.internal.services;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.passports.PassportRules;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Services and credentials (wire protocol §4). */
public final class ServicesModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        ServiceStore store = ctx.state().register(new ServiceStore());
        ConnectionService connections = ctx.services()
                .provide(ConnectionService.class, new ConnectionService(ctx.state(), store, ctx.services()));
        CredentialAccess credentials =
                ctx.services().provide(CredentialAccess.class, new CredentialAccess(ctx.services(), connections));
        Access agentWithPassport = Access.operator(MemberRole.READ).orAgent(ServicesModule::agentPresentsPassport);
        ctx.routes(
                Route.get("/v1/services")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(200, connections.catalogJson())),
                Route.get("/v1/services/connected")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> EngineResponse.json(200, connections.connectedJson(call.operatorId()))),
                Route.post("/v1/services/connect")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> EngineResponse.json(
                                201,
                                ConnectionService.connectionJson(connections.connectEndpoint(
                                        call.operatorId(), call.body(false), call.requestId())))),
                Route.delete("/v1/services/connections/{id}")
                        .origin(RouteOrigin.EXTENSION)
                        .access(Access.operator(MemberRole.STANDARD))
                        .handler(call -> EngineResponse.json(
                                200, connections.disconnect(call.operatorId(), call.param(0), call.requestId()))),
                Route.get("/v1/credentials/by-connection/{id}")
                        .origin(RouteOrigin.STACK_V1)
                        .access(agentWithPassport)
                        .handler(call -> credentials.credential(call, null, call.param(0))),
                Route.get("/v1/credentials/{provider}")
                        .origin(RouteOrigin.STACK_V1)
                        .access(agentWithPassport)
                        .handler(call -> credentials.credential(call, call.param(0), null)));
    }

    /** Agents must present their own passport for credentials (§4.3). */
    private static Call agentPresentsPassport(Call call, String agentId) {
        String t = call.header("x-passport-token");
        if (t == null) {
            throw ApiError.reason(403, "FORBIDDEN", "Agents must present their passport", "passport_required");
        }
        PassportRules.requireTokenSub(t, agentId);
        return call;
    }
}

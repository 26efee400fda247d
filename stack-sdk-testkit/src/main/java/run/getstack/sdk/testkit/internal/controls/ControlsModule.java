package run.getstack.sdk.testkit.internal.controls;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. Control policies and review holds (wire protocol §15): the guard in front of the
 * proxy and the list of held actions.
 */
public final class ControlsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        ControlStore store = ctx.state().register(new ControlStore());
        ControlService controls =
                ctx.services().provide(ControlService.class, new ControlService(ctx.state(), ctx.services(), store));
        ctx.guard("POST", "/v1/proxy", controls::check);
        ctx.routes(Route.get("/v1/controls/reviews")
                .origin(RouteOrigin.STACK_LIVE_INFERRED)
                .access(Access.operatorOnly())
                .handler(call -> list(controls, call)));
        ctx.routes(
                Route.get("/v1/controls/policies")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operatorOnly())
                        .handler(call -> EngineResponse.json(200, controls.listPolicies(call.operatorId()))),
                Route.get("/v1/controls/policy")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operatorOnly())
                        .handler(call -> EngineResponse.json(
                                200,
                                controls.getPolicy(
                                        call.operatorId(), call.query().get("agent_id")))));
    }

    private static EngineResponse list(ControlService controls, Call call) {
        String status = call.query().getOrDefault("status", "pending");
        if (!status.equals("pending") && !status.equals("all")) {
            throw ApiError.invalid("status", "must be pending or all");
        }
        int limit;
        try {
            limit = Integer.parseInt(call.query().getOrDefault("limit", "50"));
        } catch (NumberFormatException e) {
            throw ApiError.invalid("limit", "must be an integer from 1 to 200");
        }
        if (limit < 1 || limit > 200) {
            throw ApiError.invalid("limit", "must be an integer from 1 to 200");
        }
        return EngineResponse.json(200, controls.list(call.operatorId(), status.equals("all"), limit));
    }
}

package run.getstack.sdk.testkit.internal.members;

import com.fasterxml.jackson.databind.node.ObjectNode;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. Team members (wire protocol §1.4): seeded with their keys; {@code DELETE
 * /v1/team/members/{id}} [STACK v1] revokes one (admin members and the operator).
 */
public final class MembersModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        MemberStore store = ctx.state().register(new MemberStore());
        MemberService members = ctx.services().provide(MemberService.class, new MemberService(ctx.state(), store));
        ctx.routes(Route.delete("/v1/team/members/{id}")
                .origin(RouteOrigin.STACK_V1)
                .access(Access.operator(MemberRole.ADMIN))
                .handler(call -> {
                    members.revoke(call.operatorId(), call.param(0));
                    ObjectNode o = Json.object();
                    o.put("id", call.param(0));
                    o.put("deleted", true);
                    return EngineResponse.json(200, o);
                }));
    }
}

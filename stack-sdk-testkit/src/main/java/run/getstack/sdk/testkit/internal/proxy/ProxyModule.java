package run.getstack.sdk.testkit.internal.proxy;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.passports.PassportRules;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. The credential proxy (wire protocol §6). */
public final class ProxyModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        ProxyCall proxy =
                new ProxyCall(ctx.state(), ctx.services(), ctx.config().proxy());
        ctx.routes(Route.post("/v1/proxy")
                .origin(RouteOrigin.STACK_V1)
                .access(Access.operator(MemberRole.STANDARD).orAgent(PassportRules.HEADER_TOKEN_IS_OWN))
                .idempotencyField("authority_request_id")
                .locksItself()
                .handler(proxy::call));
    }
}

package run.getstack.sdk.testkit.internal.oauth;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. The token endpoint for credential discovery: {@code POST /v1/oauth/token} [Extension
 * path; STACK documents the grant, not the path], refresh-token grant only.
 */
public final class OAuthModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        TokenStore store = ctx.state().register(new TokenStore());
        TokenService tokens = ctx.services().provide(TokenService.class, new TokenService(ctx.state(), store));
        ctx.routes(Route.post("/v1/oauth/token")
                .origin(RouteOrigin.EXTENSION)
                .access(Access.open())
                .handler(tokens::token));
    }
}

package run.getstack.sdk.testkit.internal.keys;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Passport signing keys and the public JWKS (wire protocol §3.3). */
public final class KeysModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        SigningKeyStore store = ctx.state().register(new SigningKeyStore());
        SigningKeys keys = ctx.services()
                .provide(
                        SigningKeys.class,
                        new SigningKeys(ctx.state(), store, ctx.config().keyGrace()));
        keys.rotate();
        ctx.routes(Route.get("/v1/.well-known/jwks.json")
                .origin(RouteOrigin.STACK_V1)
                .access(Access.open())
                .handler(call -> {
                    EngineResponse r = EngineResponse.json(200, keys.jwks());
                    r.headers().put("Cache-Control", "public, max-age=300");
                    return r;
                }));
    }
}

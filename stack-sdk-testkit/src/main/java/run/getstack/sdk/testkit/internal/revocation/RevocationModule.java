package run.getstack.sdk.testkit.internal.revocation;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Revocation status and feed (wire protocol §7): the project's extension; STACK has no
 * client-visible revocation state.
 */
public final class RevocationModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        Services services = ctx.services();
        FeedStore store = ctx.state().register(new FeedStore());
        RevocationFeed feed = services.provide(RevocationFeed.class, new RevocationFeed(ctx.state(), store, services));
        Access read = Access.operator(MemberRole.READ);
        ctx.routes(
                Route.get("/v1/revocations")
                        .origin(RouteOrigin.EXTENSION)
                        .access(read.orAgent(AgentRule.ALLOWED))
                        .locksItself()
                        .handler(feed::feed),
                Route.get("/v1/revocations/{jti}")
                        .origin(RouteOrigin.EXTENSION)
                        .access(read.orAgent((call, agentId) -> {
                            Passport p = services.get(PassportService.class).find(call.param(0));
                            if (p != null && !p.agentId.equals(agentId)) {
                                throw ApiError.notFound("Passport");
                            }
                            return call;
                        }))
                        .handler(call -> EngineResponse.json(200, feed.status(call.operatorId(), call.param(0)))));
    }
}

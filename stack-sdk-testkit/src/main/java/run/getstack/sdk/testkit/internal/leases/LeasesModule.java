package run.getstack.sdk.testkit.internal.leases;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.passports.PassportRules;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Leases (wire protocol §5): the project's extension; STACK has no lease API. */
public final class LeasesModule implements FakeModule {
    /** The path parameter a foreign lease is replaced with, so releasing it touches nothing and answers 204. */
    private static final String NOT_YOURS = "lse_not_yours";

    @Override
    public void install(ModuleContext ctx) {
        LeaseStore store = ctx.state().register(new LeaseStore());
        LeaseService leases =
                ctx.services().provide(LeaseService.class, new LeaseService(ctx.state(), store, ctx.services()));
        Access standard = Access.operator(MemberRole.STANDARD);
        ctx.routes(
                Route.post("/v1/leases")
                        .origin(RouteOrigin.EXTENSION)
                        .access(standard.orAgent(PassportRules.HEADER_TOKEN_IS_OWN))
                        .handler(call -> leases.grant(call, call.body(false))),
                Route.post("/v1/leases/{id}/renew")
                        .origin(RouteOrigin.EXTENSION)
                        .access(standard.orAgent((call, agentId) -> {
                            String owner = leases.agentOf(call.param(0));
                            if (owner != null && !owner.equals(agentId)) {
                                throw new ApiError(404, "LEASE_NOT_FOUND", "Lease not found", null);
                            }
                            return PassportRules.HEADER_TOKEN_IS_OWN.check(call, agentId);
                        }))
                        .handler(call -> leases.renew(call, call.param(0), call.body(true))),
                Route.delete("/v1/leases/{id}")
                        .origin(RouteOrigin.EXTENSION)
                        .access(standard.orAgent((call, agentId) -> {
                            String owner = leases.agentOf(call.param(0));
                            return owner != null && !owner.equals(agentId) ? call.withParam(0, NOT_YOURS) : call;
                        }))
                        .handler(call -> leases.release(call.operatorId(), call.param(0), call.requestId())));
    }
}

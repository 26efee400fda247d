package run.getstack.sdk.testkit.internal.events;

import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Detectors and security events (wire protocol §9). */
public final class EventsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        EventStore store = ctx.state().register(new EventStore());
        ctx.services()
                .provide(
                        Detectors.class,
                        new Detectors(
                                ctx.state(), store, ctx.services(), ctx.config().detectors()));
        SecurityEvents events = ctx.services().provide(SecurityEvents.class, new SecurityEvents(ctx.state(), store));
        Access operatorOnly = Access.operatorOnly();
        ctx.routes(
                Route.get("/v1/security-events")
                        .origin(RouteOrigin.STACK_V1)
                        .access(operatorOnly)
                        .handler(call -> EngineResponse.json(200, events.list(call.operatorId(), call.query()))),
                Route.get("/v1/security-events/{id}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(operatorOnly)
                        .handler(call -> EngineResponse.json(200, events.get(call.operatorId(), call.param(0)))),
                Route.post("/v1/security-events/{id}/resolve")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(operatorOnly)
                        .handler(call -> EngineResponse.json(200, events.resolve(call))));
    }
}

package run.getstack.sdk.testkit.internal.missions;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/**
 * Internal, not for public use. The missions resource (wire protocol §10.4): STACK's live mission tools at inferred
 * paths ({@link RouteOrigin#STACK_LIVE_INFERRED}, kept in "STACK v1 only" mode) and the mission report ({@link
 * RouteOrigin#EXTENSION}).
 */
public final class MissionsModule implements FakeModule {
    /** An agent acts only for itself: a body {@code agent_id} naming another agent is refused. */
    private static final AgentRule BODY_AGENT_IS_SELF = (call, agentId) -> {
        try {
            JsonNode n = Json.MAPPER.readTree(call.request().body());
            if (n != null
                    && n.path("agent_id").isTextual()
                    && !n.path("agent_id").asText().equals(agentId)) {
                throw ApiError.reason(403, "FORBIDDEN", "Not allowed for an agent principal", "agent_principal");
            }
        } catch (IOException e) {
            // the handler reports the malformed body
        }
        return call;
    };

    /** An agent never decides its own pause. */
    private static final AgentRule NO_AGENT_DECISIONS = (call, agentId) -> {
        throw ApiError.reason(
                403, "FORBIDDEN", "An agent cannot decide a mission's pause; the owner does", "agent_cannot_decide");
    };

    /** Only the owner adds recipients; an agent cannot widen its own mission. */
    private static final AgentRule NO_AGENT_RECIPIENTS = (call, agentId) -> {
        throw ApiError.reason(
                403,
                "FORBIDDEN",
                "An agent cannot add recipients to a mission; the owner does",
                "agent_cannot_add_recipients");
    };

    @Override
    public void install(ModuleContext ctx) {
        MissionStore store = ctx.state().register(new MissionStore());
        MissionService missions =
                ctx.services().provide(MissionService.class, new MissionService(ctx.state(), store, ctx.services()));
        ctx.services()
                .provide(
                        MissionCaps.class,
                        new MissionCaps(
                                ctx.state(),
                                store,
                                (m, trace) -> ctx.services()
                                        .get(AuditService.class)
                                        .append(
                                                m.operatorId,
                                                m.agentId,
                                                null,
                                                "mission.pause",
                                                "blocked",
                                                trace,
                                                MissionCaps.capDetails(m))));
        Access standard = Access.operator(MemberRole.STANDARD);
        Access agentOwn = standard.orAgent(AgentRule.ALLOWED);
        ctx.routes(
                Route.post("/v1/missions")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(BODY_AGENT_IS_SELF))
                        .idempotencyField("authority_request_id")
                        .handler(call -> EngineResponse.secret(
                                201, missions.start(call.operatorId(), call.body(false), call.requestId()))),
                Route.post("/v1/missions/open")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(BODY_AGENT_IS_SELF))
                        .handler(call -> EngineResponse.json(
                                201, missions.open(call.operatorId(), call.body(false), call.requestId()))),
                Route.get("/v1/missions")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(
                                200, missions.list(call.operatorId(), call.agentId(), call.query()))),
                Route.get("/v1/missions/{id}")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(
                                200, missions.get(call.operatorId(), call.agentId(), call.param(0)))),
                Route.post("/v1/missions/{id}/renew")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(agentOwn)
                        .handler(call -> EngineResponse.secret(
                                201,
                                missions.renew(
                                        call.operatorId(),
                                        call.agentId(),
                                        call.param(0),
                                        call.body(true),
                                        call.requestId()))),
                Route.post("/v1/missions/{id}/complete")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(agentOwn)
                        .handler(call -> EngineResponse.json(
                                200,
                                missions.complete(
                                        call.operatorId(),
                                        call.agentId(),
                                        call.param(0),
                                        call.body(true),
                                        call.requestId()))),
                Route.post("/v1/missions/{id}/revoke")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(agentOwn)
                        .handler(call -> EngineResponse.json(
                                200,
                                missions.revoke(
                                        call.operatorId(),
                                        call.agentId(),
                                        call.param(0),
                                        call.body(false),
                                        call.requestId()))),
                Route.post("/v1/missions/{id}/review")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(NO_AGENT_DECISIONS))
                        .handler(call -> EngineResponse.json(
                                200,
                                missions.reviewEndpoint(
                                        call.operatorId(), call.param(0), call.body(false), call.requestId()))),
                Route.post("/v1/missions/{id}/recipients")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(standard.orAgent(NO_AGENT_RECIPIENTS))
                        .handler(call -> EngineResponse.json(
                                200,
                                missions.addRecipients(
                                        call.operatorId(), call.param(0), call.body(false), call.requestId()))),
                Route.get("/v1/missions/{id}/report")
                        .origin(RouteOrigin.EXTENSION)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(
                                200, missions.missionReport(call.operatorId(), call.agentId(), call.param(0)))),
                Route.get("/v1/passports/{jti}/report")
                        .origin(RouteOrigin.STACK_LIVE_INFERRED)
                        .access(Access.operator(MemberRole.READ).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(
                                200, missions.passportReport(call.operatorId(), call.agentId(), call.param(0)))));
    }
}

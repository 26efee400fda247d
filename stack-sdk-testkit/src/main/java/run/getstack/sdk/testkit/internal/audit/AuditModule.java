package run.getstack.sdk.testkit.internal.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.ChainVerification;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Audit (wire protocol §8): query, export, verify-chain, and client ingest [Extension]. */
public final class AuditModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        AuditStore store = ctx.state().register(new AuditStore());
        AuditService audit = ctx.services().provide(AuditService.class, new AuditService(ctx.state(), store));
        AuditIngest ingest = new AuditIngest(ctx.services(), audit, store);
        ctx.routes(
                Route.get("/v1/audit")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> EngineResponse.json(200, query(audit, call))),
                Route.get("/v1/audit/export")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> AuditExport.export(
                                audit.chainLocked(call.operatorId()), audit.exportPageSizeLocked(), call)),
                Route.get("/v1/audit/verify-chain")
                        .origin(RouteOrigin.STACK_V1)
                        .access(Access.operator(MemberRole.READ))
                        .handler(call -> EngineResponse.json(200, verify(audit.verifyChain(call.operatorId())))),
                Route.post("/v1/audit/events")
                        .origin(RouteOrigin.EXTENSION)
                        .access(Access.operator(MemberRole.STANDARD).orAgent(AgentRule.ALLOWED))
                        .handler(call -> EngineResponse.json(200, ingest.ingest(call))));
    }

    private static ObjectNode verify(ChainVerification v) {
        ObjectNode o = Json.object();
        o.put("valid", v.valid());
        o.put("checked", v.checked());
        if (!v.valid()) {
            o.put("first_bad_entry_id", v.firstBadEntryId());
            o.put("reason", v.reason());
        }
        return o;
    }

    private static ObjectNode query(AuditService audit, Call call) {
        Map<String, String> q = call.query();
        long limit = Wire.queryLong(q, "limit", 20, 1, 100);
        long since = Wire.queryLong(q, "since", 0, 0, Long.MAX_VALUE);
        String agentId = q.get("agent_id");
        String jti = q.get("passport_jti");
        List<AuditEntry> chain = audit.chainLocked(call.operatorId());
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("entries");
        long max = since;
        for (int i = chain.size() - 1; i >= 0 && arr.size() < limit; i--) {
            AuditEntry e = chain.get(i);
            if (e.timestamp() <= since
                    || (agentId != null && !agentId.equals(e.agentId()))
                    || (jti != null && !jti.equals(e.passportJti()))) {
                continue;
            }
            arr.add(AuditService.auditJson(e));
            max = Math.max(max, e.timestamp());
        }
        root.put("max_timestamp", max);
        return root;
    }
}

package run.getstack.sdk.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.UUID;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.internal.audit.AuditChain;

/**
 * Fills the fake's audit chain quickly and for real: client events posted to {@code POST /v1/audit/events} in
 * batches of 500, each accepted event appended to the operator's chain by the fake (which hashes it).
 */
final class AuditFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeControlPlane fake;
    private final String agentId;
    private long seq;
    private String prev = "0".repeat(64);

    AuditFixtures(FakeControlPlane fake, String agentId) {
        this.fake = fake;
        this.agentId = agentId;
    }

    /** Appends {@code n} entries (layer {@code agent}, action {@code tool.call}). */
    void append(int n) {
        int left = n;
        while (left > 0) {
            int batch = Math.min(500, left);
            ObjectNode body = JSON.createObjectNode();
            ArrayNode events = body.putArray("events");
            long ts = fake.clock().millis();
            for (int i = 0; i < batch; i++) {
                seq++;
                String id = UUID.randomUUID().toString();
                String hash = AuditChain.clientHash(id, ts, agentId, null, "tool.call", "success", seq, prev);
                ObjectNode e = events.addObject();
                e.put("event_id", id);
                e.put("timestamp", ts);
                e.put("agent_id", agentId);
                e.put("layer", "agent");
                e.put("action", "tool.call");
                e.put("outcome", "success");
                e.put("client_seq", seq);
                e.put("client_prev_hash", prev);
                e.put("client_hash", hash);
                e.putObject("detail").put("n", seq);
                prev = hash;
            }
            HttpResponse<String> r = ApiTestSupport.rawPost(fake, "/v1/audit/events", body.toString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"rejected\":[]");
            left -= batch;
        }
    }
}
